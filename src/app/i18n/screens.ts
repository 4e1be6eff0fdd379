// The lazily loaded screens' messages, in both languages. Each of those screens imports this module,
// so its messages are there before it renders; the first-load bundle never carries them.
import { addMessages } from './index';
import { screensEn } from './screens.en';
import { screensZh } from './screens.zh-CN';

addMessages({ 'zh-CN': screensZh, en: screensEn });
