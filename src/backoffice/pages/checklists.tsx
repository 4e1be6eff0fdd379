// The published checklist versions, as this back office and the server carry them: every version
// ever published, the newest of each checklist marked (the one new visits use).
import { publishedChecklists } from '../checklist-labels';
import { PageHeading } from '../components/page-heading';
import { TableWrap } from '../components/table-wrap';
import { useI18n } from '../context';

export function ChecklistsPage() {
  const { lang, t } = useI18n();
  const versions = publishedChecklists.all();
  return (
    <section data-testid="page-checklists">
      <PageHeading title={t('checklists.title')} />
      <p>{t('checklists.intro')}</p>
      <TableWrap label={t('checklists.caption')}>
        <table data-testid="checklist-versions">
          <caption class="visually-hidden">{t('checklists.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('checklists.id')}</th>
              <th scope="col">{t('checklists.version')}</th>
              <th scope="col">{t('checklists.name')}</th>
              <th scope="col">{t('checklists.items')}</th>
              <th scope="col">{t('checklists.required')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((checklist) => (
              <tr key={`${checklist.id}@${checklist.version}`} data-testid="checklist-version" data-checklist={`${checklist.id} v${checklist.version}`}>
                <td>{checklist.id}</td>
                <td class="num">
                  {checklist.version}
                  {publishedChecklists.newest(checklist.id) === checklist && <span class="muted"> ({t('checklists.newest')})</span>}
                </td>
                <td>{checklist.title[lang]}</td>
                <td class="num">{checklist.items.length}</td>
                <td class="num">{checklist.items.filter((item) => item.required).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
