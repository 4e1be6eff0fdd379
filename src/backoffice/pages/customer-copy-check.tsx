// The customer copy's QR code on a form's page, and printing that page as the customer copy on one A4
// sheet (customer-copy-print.css). The QR encoder loads with import() when the page shows it.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { verifyUrl } from '../../domain/verify-link';
import { useI18n } from '../context';
import './customer-copy-print.css';

type QrCodeComponent = ComponentType<{ text: string; label: string; testId?: string }>;
let qrCode: Promise<QrCodeComponent> | undefined;
const loadQrCode = () => (qrCode ??= import('../../qr/qr-code').then((module) => module.QrCode));

export function CustomerCopyCheck({ formId, seal }: { formId: string; seal: string }) {
  const { t } = useI18n();
  // the back office is served by the same server as the verify page
  const url = verifyUrl(location.origin, { formId, seal });
  const [QrCode, setQrCode] = useState<QrCodeComponent | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void loadQrCode().then((component) => setQrCode(() => component), (e: unknown) => setError(String(e))), []);
  return (
    <section class="card copy-check" aria-labelledby="copy-check-heading" data-testid="copy-check" data-verify-url={url}>
      <figure class="copy-check-qr">
        {QrCode ? <QrCode text={url} label={t('copy.qrLabel')} testId="copy-check-qr" /> : error ? <p role="alert">{error}</p> : null}
        <figcaption>{t('copy.scan')}<br /><span class="copy-check-where">{location.host}/verify</span></figcaption>
      </figure>
      <div class="copy-check-text no-print">
        <h2 id="copy-check-heading">{t('copy.heading')}</h2>
        <p>{t('copy.help')}</p>
        <button type="button" onClick={() => print()} data-testid="copy-check-print">{t('copy.print')}</button>
      </div>
    </section>
  );
}
