// 中文 ⇄ English; the choice persists in localStorage (see i18n.ts).
import { useI18n } from '../context';
import type { Lang } from '../i18n';

export function LanguageSwitch() {
  const { lang, t, setLang } = useI18n();
  const other: Lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  // the button names the other language in that language, as language pickers do
  return (
    <button type="button" class="secondary" lang={other} onClick={() => setLang(other)} data-testid="language-switch">
      {t('app.otherLanguage')}
    </button>
  );
}
