// The customer copy's QR code: the server's verify page with this form's id and seal (src/domain/verify-link.ts),
// so the customer can check later that the back office holds exactly this form. The QR encoder loads
// with import() when the copy shows it: it is in no first load, and in the precache for offline use.
import { useEffect, useState } from 'preact/hooks';
import { verifyUrl } from '../../domain/verify-link';
import { Lazy } from '../components/lazy';
import { useI18n, useServices } from '../context';
import './customer-copy-print.css';

const loadQrCode = () => import('../../qr/qr-code').then((module) => module.QrCode);

export function VerifyQr({ formId, seal }: { formId: string; seal: string }) {
  const services = useServices();
  const { t } = useI18n();
  const [base, setBase] = useState<string | null>(null);
  useEffect(() => void services.settings.serverUrl().then(setBase), []);
  if (base === null) return null;
  const url = verifyUrl(base, { formId, seal });
  return (
    <figure class="copy-qr" data-testid="copy-qr" data-verify-url={url}>
      <Lazy load={loadQrCode} props={{ text: url, label: t('copy.qrLabel'), testId: 'copy-qr-code' }} />
      <figcaption>{t('copy.qrHelp')}<br /><span class="copy-qr-where">{base.replace(/^https?:\/\//, '')}/verify</span></figcaption>
    </figure>
  );
}
