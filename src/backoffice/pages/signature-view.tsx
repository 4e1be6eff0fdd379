// The customer's signature twice: the PNG the phone stored (fetched with the admin token), and a
// redraw from the vector point data, so a clerk can see the two agree or read one if the other fails.
import SignaturePad from 'signature_pad';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Signature } from '../../domain/form-schema';
import { ErrorMessage, Loading } from '../components/feedback';
import { useApi, useI18n } from '../context';
import { useLoad } from '../hooks';
import { fitSignature } from '../signature-fit';

/** The redraw's size in CSS pixels; the canvas holds devicePixelRatio times as many. */
const REDRAW = { width: 360, height: 150 };

export function SignatureView({ formId, signature, signerName }: { formId: string; signature: Signature; signerName: string }) {
  const { t } = useI18n();
  const pointCount = signature.points.reduce((n, g) => n + g.points.length, 0);
  return (
    <section class="card" aria-labelledby="signature-heading" data-testid="signature">
      <h2 id="signature-heading">{t('signature.title')}</h2>
      <figure>
        <SignaturePng formId={formId} alt={t('signature.pngAlt', { name: signerName })} />
        <figcaption>{t('signature.pngCaption', { width: signature.width, height: signature.height, bytes: signature.byteLength })}</figcaption>
      </figure>
      <figure>
        <SignatureRedraw signature={signature} label={t('signature.redrawAlt', { name: signerName })} />
        <figcaption>{t('signature.redrawCaption', { strokes: signature.points.length, points: pointCount })}</figcaption>
      </figure>
    </section>
  );
}

function SignaturePng({ formId, alt }: { formId: string; alt: string }) {
  const api = useApi();
  const [png] = useLoad(() => api.getSignaturePng(formId), [api, formId]);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (png.status !== 'ok') return;
    const objectUrl = URL.createObjectURL(png.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [png]);
  if (png.status === 'error') return <ErrorMessage error={png.error} testId="signature-png-error" />;
  if (png.status === 'loading' || url === null) return <Loading />;
  return <img class="signature-image" src={url} alt={alt} data-testid="signature-png" />;
}

function SignatureRedraw({ signature, label }: { signature: Signature; label: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    element.width = Math.round(REDRAW.width * ratio);
    element.height = Math.round(REDRAW.height * ratio);
    try {
      const pad = new SignaturePad(element, { backgroundColor: 'rgb(255, 255, 255)' });
      pad.off();
      const fit = fitSignature(signature.points, REDRAW.width, REDRAW.height);
      element.getContext('2d')?.setTransform(fit.scale * ratio, 0, 0, fit.scale * ratio, fit.offsetX * ratio, fit.offsetY * ratio);
      // the schema's strings are whatever the phone sent; the canvas ignores an operation it does not know
      pad.fromData(signature.points.map((g) => ({ ...g, compositeOperation: g.compositeOperation as GlobalCompositeOperation })), { clear: false });
    } catch (error) {
      setFailed(error);
    }
  }, [signature]);
  return (
    <>
      <canvas ref={canvas} class="signature-canvas" role="img" aria-label={label} data-testid="signature-redraw" />
      {failed !== null && <p class="warning" data-testid="signature-redraw-error">{t('signature.redrawFailed')}</p>}
    </>
  );
}
