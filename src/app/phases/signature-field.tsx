// The customer's signature on the sign phase (loaded with the pad, only when this phase is shown).
import type { FieldItem } from '../../domain/checklist';
import type { Signature } from '../../domain/form-schema';
import { SignaturePadView, type SignatureCapture } from '../components/signature-pad';
import { useI18n } from '../context';
import { DoneNote, Feedback } from './controls';
import { useVisit } from './visit-context';

export function SignatureField({ item }: { item: FieldItem }) {
  const { t, text } = useI18n();
  const { session, snapshot } = useVisit();
  const saved = snapshot.loaded.state.answers[item.id] as Signature | undefined;
  const sealed = snapshot.loaded.state.sealed;
  const submit = ({ signature, png }: SignatureCapture) => session.dispatch(item.id, { type: 'set', item: item.id, value: signature }, png);
  return (
    <div class="item field" data-testid="signature-field">
      <p class="field-label" id="signature-label">
        {text(item.text)} — {saved ? t('sign.pad.done') : t('sign.pad.label')}
      </p>
      {saved ? (
        <>
          <SignaturePadView key="saved" initial={saved.points} readOnly label={text(item.text)} onSubmit={async () => false} />
          <div class="field-actions">
            <DoneNote itemId={item.id} />
            {!sealed && (
              <button type="button" class="button" onClick={() => void session.dispatch(item.id, { type: 'clear', item: item.id })} data-testid="signature-redo">
                {t('sign.pad.redo')}
              </button>
            )}
          </div>
        </>
      ) : (
        <SignaturePadView key="edit" label={text(item.text)} onSubmit={submit} />
      )}
      <Feedback target={item.id} />
    </div>
  );
}
