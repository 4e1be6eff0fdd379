// The signature pad (signature_pad 5), loaded only on the sign phase. The canvas is sized for the device
// pixel ratio; when its width changes (rotation, resize) the strokes are redrawn from the point data,
// never wiped; a height-only change (the mobile address bar) does nothing. The PNG is drawn at a fixed
// size on an offscreen canvas, so it is the same on every phone.
import SignaturePad from 'signature_pad';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PointGroup } from '../../domain/form-schema';
import { useI18n } from '../context';
import type { Signature } from '../../domain/form-schema';
import { describeSignature, SIGNATURE_BOX, toBox, toScreen } from './signature-geometry';

const PEN = { penColor: '#111111', minWidth: 1, maxWidth: 3, backgroundColor: 'rgba(0,0,0,0)' } as const;

/** Our strokes hold the schema's plain strings; signature_pad types its composite operation more narrowly. */
const asPadData = (groups: readonly PointGroup[]) => groups as Parameters<SignaturePad['fromData']>[0];

export interface SignatureCapture {
  signature: Signature;
  png: Uint8Array;
}

/** Draws the strokes (in the fixed box) at pngScale on a canvas of its own and returns the PNG bytes. */
async function renderPng(groups: PointGroup[]): Promise<Uint8Array> {
  const { width, height, pngScale } = SIGNATURE_BOX;
  const canvas = document.createElement('canvas');
  canvas.width = width * pngScale;
  canvas.height = height * pngScale;
  const pad = new SignaturePad(canvas, { ...PEN, backgroundColor: '#ffffff' });
  pad.off();
  canvas.getContext('2d')!.scale(pngScale, pngScale);
  pad.fromData(asPadData(groups));
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not make the signature PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

export interface SignaturePadProps {
  /** strokes already saved, in the fixed box */
  initial?: readonly PointGroup[];
  readOnly?: boolean;
  /** the signature's item as the checklist words it: the canvas's accessible name starts with it */
  label: string;
  /** resolves true when the signature was saved */
  onSubmit(capture: SignatureCapture): Promise<boolean>;
}

export function SignaturePadView({ initial, readOnly = false, label, onSubmit }: SignaturePadProps) {
  const { t } = useI18n();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  /** the strokes in the fixed box: the truth the canvas is redrawn from */
  const strokes = useRef<PointGroup[]>([...(initial ?? [])]);
  const cssWidth = useRef(0);
  const [count, setCount] = useState(strokes.current.length);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const redraw = () => padRef.current?.fromData(asPadData(toScreen(strokes.current, cssWidth.current)));

  useEffect(() => {
    const canvas = canvasRef.current!;
    const pad = new SignaturePad(canvas, PEN);
    padRef.current = pad;
    cssWidth.current = 0;
    if (readOnly) pad.off();
    const fit = () => {
      const width = canvas.getBoundingClientRect().width;
      if (width === 0 || width === cssWidth.current) return;
      cssWidth.current = width;
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(((width * SIGNATURE_BOX.height) / SIGNATURE_BOX.width) * ratio);
      canvas.getContext('2d')!.scale(ratio, ratio);
      redraw();
    };
    const onEndStroke = () => {
      const last = pad.toData().at(-1);
      if (!last) return;
      strokes.current = [...strokes.current, ...toBox([last], cssWidth.current)];
      setCount(strokes.current.length);
      setMessage(null);
    };
    pad.addEventListener('endStroke', onEndStroke);
    const observer = new ResizeObserver(fit);
    observer.observe(canvas);
    fit();
    return () => {
      observer.disconnect();
      pad.removeEventListener('endStroke', onEndStroke);
      pad.off();
    };
  }, [readOnly]);

  const undo = () => {
    strokes.current = strokes.current.slice(0, -1);
    redraw();
    setCount(strokes.current.length);
  };
  const clear = () => {
    strokes.current = [];
    padRef.current?.clear();
    setCount(0);
  };
  const submit = async () => {
    if (strokes.current.length === 0) {
      setMessage(t('sign.pad.empty'));
      return;
    }
    setBusy(true);
    try {
      const png = await renderPng(strokes.current);
      await onSubmit({ signature: await describeSignature(strokes.current, png), png });
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signature">
      {/* a screen reader meets a surface drawn on: it says so, and that there is no other way to sign */}
      <canvas
        ref={canvasRef}
        class="signature-canvas"
        role="img"
        aria-roledescription={readOnly ? undefined : t('sign.pad.role')}
        aria-label={readOnly ? t('sign.pad.saved', { label }) : t('sign.pad.howTo', { label, use: t('sign.pad.use') })}
        data-testid="signature-canvas"
        data-strokes={count}
      />
      {!readOnly && (
        <div class="field-actions">
          <button type="button" class="button" onClick={undo} disabled={count === 0} data-testid="signature-undo">{t('sign.pad.undo')}</button>
          <button type="button" class="button" onClick={clear} disabled={count === 0} data-testid="signature-clear">{t('sign.pad.clear')}</button>
          <button type="button" class="button button-primary" onClick={() => void submit()} disabled={busy} data-testid="signature-use">{t('sign.pad.use')}</button>
        </div>
      )}
      {message && <p role="alert" class="refusal" data-testid="signature-message">{message}</p>}
    </div>
  );
}
