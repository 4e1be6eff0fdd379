// "New visit": a visit created on the phone, checked with the same schemas as a dispatched one; each
// problem is shown at its field. Loaded on demand.
import { useState } from 'preact/hooks';
import { CustomerSchema, EquipmentSchema } from '../../domain/form-schema';
import { toIsoDate } from '../../domain/festivals';
import { VisitInputError } from '../../device/visit-create';
import { useI18n, useServices } from '../context';
import '../i18n/screens'; // this screen's messages
import { describeError } from '../errors';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';

const FIELDS = [
  { key: 'customer.name', label: 'new.customerName', group: 'customer', schema: CustomerSchema.shape.name, autoComplete: 'name' },
  { key: 'customer.phone', label: 'new.phone', group: 'customer', schema: CustomerSchema.shape.phone, autoComplete: 'tel', inputMode: 'tel' },
  { key: 'customer.address', label: 'new.address', group: 'customer', schema: CustomerSchema.shape.address, autoComplete: 'street-address' },
  { key: 'equipment.type', label: 'new.equipmentType', group: 'equipment', schema: EquipmentSchema.shape.type, autoComplete: 'off' },
  { key: 'equipment.model', label: 'new.model', group: 'equipment', schema: EquipmentSchema.shape.model, autoComplete: 'off' },
  { key: 'equipment.serial', label: 'new.serial', group: 'equipment', schema: EquipmentSchema.shape.serial, autoComplete: 'off' },
] as const;

type FieldKey = (typeof FIELDS)[number]['key'];
const errorKey = (key: FieldKey) => `new.error.${key}` as MessageKey;
const fieldId = (key: FieldKey) => `new-${key.replace('.', '-')}`;

export function NewVisit() {
  const services = useServices();
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState<Record<FieldKey, string>>(() => Object.fromEntries(FIELDS.map((f) => [f.key, ''])) as Record<FieldKey, string>);
  const [firstVisit, setFirstVisit] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Partial<Record<FieldKey, string>> = {};
    for (const field of FIELDS) if (!field.schema.safeParse(values[field.key]).success) found[field.key] = t(errorKey(field.key));
    setErrors(found);
    setFailure(null);
    const first = FIELDS.find((f) => found[f.key]);
    if (first) {
      document.getElementById(fieldId(first.key))?.focus();
      return;
    }
    setBusy(true);
    try {
      const visit = await services.visits.create({
        scheduledDate: toIsoDate(new Date()),
        firstVisit,
        customer: { name: values['customer.name'], phone: values['customer.phone'], address: values['customer.address'] },
        equipment: { type: values['equipment.type'], model: values['equipment.model'], serial: values['equipment.serial'] },
      });
      navigate({ name: 'open', visitId: visit.id }, true);
    } catch (error) {
      setBusy(false);
      if (error instanceof VisitInputError) {
        // a rule the per-field check above does not know: show it where it belongs
        const atFields: Partial<Record<FieldKey, string>> = {};
        for (const e of error.errors) {
          const field = FIELDS.find((f) => f.key === e.path);
          if (field) atFields[field.key] = t(errorKey(field.key));
        }
        setErrors(atFields);
        if (Object.keys(atFields).length === error.errors.length) return;
      }
      setFailure(describeError(i18n, error));
    }
  };

  const input = (field: (typeof FIELDS)[number]) => {
    const id = fieldId(field.key);
    const error = errors[field.key];
    return (
      <div class="item field" key={field.key}>
        <label class="field-label" for={id}>
          {t(field.label)}
          {field.key === 'customer.name' || field.key === 'equipment.type' ? <span class="muted"> ({t('common.required')})</span> : null}
        </label>
        <input
          id={id}
          class="input"
          type={field.key === 'customer.phone' ? 'tel' : 'text'}
          autoComplete={field.autoComplete}
          value={values[field.key]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => setValues({ ...values, [field.key]: e.currentTarget.value })}
          data-testid={id}
        />
        {error && <p id={`${id}-error`} class="refusal" data-testid={`${id}-error`}>{error}</p>}
      </div>
    );
  };

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">{t('new.title')}</h1>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('new.customer')}</legend>
          {FIELDS.filter((f) => f.group === 'customer').map(input)}
        </fieldset>
        <fieldset>
          <legend>{t('new.equipment')}</legend>
          {FIELDS.filter((f) => f.group === 'equipment').map(input)}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={firstVisit} onChange={(e) => setFirstVisit(e.currentTarget.checked)} data-testid="new-first-visit" />
          <span>{t('new.firstVisit')}</span>
        </label>
        {Object.keys(errors).length > 0 && <p role="alert" class="alert">{t('new.invalid')}</p>}
        {failure && <p role="alert" class="alert">{failure}</p>}
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy} data-testid="new-create">{t('new.create')}</button>
          <a class="button" href="#/">{t('nav.back')}</a>
        </div>
      </form>
    </section>
  );
}
