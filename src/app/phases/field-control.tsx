// A field's widget, chosen by its value type alone (the phase views and the hand-over screen).
import type { FieldItem } from '../../domain/checklist';
import { fieldSpec } from '../../domain/field-spec';
import { Lazy } from '../components/lazy';
import {
  AttestationField, ConductField, MultipleChoiceField, NumberField, PartsField, PhotosField, RatingField, SingleChoiceField, TextField, YesNoField,
} from './fields';

const loadSignatureField = () => import('./signature-field').then((m) => m.SignatureField);

/** A field's widget, chosen by its value type alone. */
export function FieldControl({ item }: { item: FieldItem }) {
  const spec = fieldSpec(item).value;
  switch (spec.type) {
    case 'short-text':
      return <TextField item={item} multiline={false} />;
    case 'long-text':
      return <TextField item={item} multiline />;
    case 'number':
      return <NumberField item={item} spec={spec} />;
    case 'single-choice':
      return <SingleChoiceField item={item} options={spec.options} />;
    case 'multiple-choice':
      return <MultipleChoiceField item={item} options={spec.options} />;
    case 'rating':
      return <RatingField item={item} max={spec.max} />;
    case 'yes-no':
      return <YesNoField item={item} />;
    case 'parts':
      return <PartsField item={item} />;
    case 'photos':
      return <PhotosField item={item} />;
    case 'conduct':
      return <ConductField item={item} />;
    case 'attestation':
      return <AttestationField item={item} />;
    case 'signature':
      return <Lazy load={loadSignatureField} props={{ item }} />;
  }
}

