// The parts used, picked from the catalog downloaded with the visits (offline), by code or by name as it
// is typed, each with a quantity stepper; a part the catalog does not hold is typed as it is. The rows
// are what is on screen (a name still blank, a quantity being typed); partsOfRows gives the form's value,
// [{name, quantity, code?}] — the code only for a part picked from the catalog and not renamed since.
import { useEffect, useState } from 'preact/hooks';
import type { CatalogPart } from '../../domain/field-values';
import { searchParts, type SearchablePart } from '../../domain/parts-search';
import { useI18n, useServices } from '../context';

export interface PartRow {
  name: string;
  /** as typed: a number from 1 to 9999 once valid */
  quantity: string;
  /** the catalog code of a part picked from it */
  code?: string;
}

export const MAX_QUANTITY = 9999;

export const partRows = (parts: readonly CatalogPart[] | undefined): PartRow[] =>
  (parts ?? []).map((p) => ({ name: p.name, quantity: String(p.quantity), ...(p.code === undefined ? {} : { code: p.code }) }));
export const partRowsKey = (rows: readonly PartRow[]) => JSON.stringify(rows.map((row) => [row.name, row.quantity, row.code ?? null]));
/** The rows worth saving: a row whose name is still blank stays on screen, unsaved, until it is named. */
export const namedRows = (rows: readonly PartRow[]) => rows.filter((row) => row.name.trim() !== '');
export const partsOfRows = (rows: readonly PartRow[]): CatalogPart[] =>
  namedRows(rows).map((row) => ({ name: row.name, quantity: Number(row.quantity), ...(row.code === undefined ? {} : { code: row.code }) }));

/** The catalog on the phone; empty until read (or when none was downloaded: parts are then typed). */
function useCatalog(): readonly SearchablePart[] {
  const services = useServices();
  const [catalog, setCatalog] = useState<readonly SearchablePart[]>([]);
  useEffect(() => {
    let live = true;
    // the catalog only helps: a failed read leaves parts to be typed
    services.visits.partsCatalog().then((parts) => live && setCatalog(parts), () => {});
    return () => {
      live = false;
    };
  }, []);
  return catalog;
}

const stepped = (quantity: string, by: number) => {
  const n = Number.parseInt(quantity, 10);
  return String(Math.min(MAX_QUANTITY, Math.max(1, (Number.isFinite(n) ? n : 0) + by)));
};

export interface PartsPickerProps {
  rows: readonly PartRow[];
  /** `whole`: a tap, or leaving a box — to be saved at once rather than after a typing pause */
  onChange(rows: PartRow[], whole: boolean): void;
}

export function PartsPicker({ rows, onChange }: PartsPickerProps) {
  const { t } = useI18n();
  const catalog = useCatalog();
  const [query, setQuery] = useState('');
  const found = searchParts(catalog, query);
  const unitOf = (code: string | undefined) => (code === undefined ? '' : catalog.find((p) => p.code === code)?.unit ?? '');
  const update = (i: number, change: Partial<PartRow>, whole: boolean) => onChange(rows.map((row, j) => (j === i ? { ...row, ...change } : row)), whole);
  const commit = () => onChange([...rows], true);
  const pick = (part: SearchablePart) => {
    const at = rows.findIndex((row) => row.code === part.code);
    // the same part again is one more of it, not a second row
    onChange(at >= 0 ? rows.map((row, j) => (j === at ? { ...row, quantity: stepped(row.quantity, 1) } : row)) : [...rows, { code: part.code, name: part.name, quantity: '1' }], true);
    setQuery('');
  };
  const typed = query.trim();
  const addTyped = () => {
    onChange([...rows, { name: typed, quantity: '1' }], typed !== '');
    setQuery('');
  };
  return (
    <div class="parts-picker">
      {rows.length === 0 && <p class="muted">{t('sign.parts.none')}</p>}
      {rows.map((row, i) => {
        const label = row.name.trim() || `${t('sign.parts.name')} ${i + 1}`;
        return (
          <div class="part-row" key={i} data-testid={`part-row-${i}`}>
            <label class="part-name">
              <span>{t('sign.parts.name')} {i + 1}{row.code !== undefined && <span class="part-code" data-testid={`part-code-${i}`}> · {row.code}</span>}</span>
              {/* renamed, it is no longer the catalog's part: the code goes */}
              <input class="input" type="text" value={row.name} onInput={(e) => update(i, { name: e.currentTarget.value, code: undefined }, false)} onChange={commit} data-testid={`part-name-${i}`} />
            </label>
            <div class="stepper" role="group" aria-label={t('parts.quantityOf', { part: label })}>
              <button type="button" class="button stepper-button" aria-label={t('parts.less', { part: label })} disabled={Number(row.quantity) <= 1}
                onClick={() => update(i, { quantity: stepped(row.quantity, -1) }, true)} data-testid={`part-less-${i}`}>−</button>
              <input class="input stepper-input" type="number" inputMode="numeric" min={1} max={MAX_QUANTITY} value={row.quantity} aria-label={t('parts.quantityOf', { part: label })}
                onInput={(e) => update(i, { quantity: e.currentTarget.value }, false)} onChange={commit} data-testid={`part-quantity-${i}`} />
              <button type="button" class="button stepper-button" aria-label={t('parts.more', { part: label })} disabled={Number(row.quantity) >= MAX_QUANTITY}
                onClick={() => update(i, { quantity: stepped(row.quantity, 1) }, true)} data-testid={`part-more-${i}`}>+</button>
              {unitOf(row.code) && <span class="muted">{unitOf(row.code)}</span>}
            </div>
            <button type="button" class="button-quiet" onClick={() => onChange(rows.filter((_, j) => j !== i), true)} aria-label={t('parts.removeOne', { part: label })} data-testid={`part-remove-${i}`}>
              {t('sign.parts.remove')}
            </button>
          </div>
        );
      })}
      <label class="field-label" for="part-search">{t(catalog.length > 0 ? 'parts.search' : 'parts.searchNoCatalog')}</label>
      <input id="part-search" class="input" type="search" autoComplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)}
        aria-describedby="part-search-count" data-testid="part-search" />
      <p id="part-search-count" class="visually-hidden" aria-live="polite">{typed === '' ? '' : t('parts.found', { count: found.length })}</p>
      {found.length > 0 && (
        <ul class="part-results" data-testid="part-results">
          {found.map((part) => (
            <li key={part.code}>
              <button type="button" class="button part-result" onClick={() => pick(part)} data-testid={`part-pick-${part.code}`}>
                <strong>{part.code}</strong> {part.name}{part.unit && <span class="muted">（{part.unit}）</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="button" onClick={addTyped} data-testid="part-add">
        {typed === '' ? t('sign.parts.add') : t('parts.addTyped', { name: typed })}
      </button>
    </div>
  );
}
