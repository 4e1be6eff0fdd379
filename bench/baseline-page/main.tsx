// The benchmark's baseline: a bare Preact page, built like the app (onsiteViteConfig), with a tiny
// service worker so it too can cold-start offline.
import { render } from 'preact';

render(<h1>你好</h1>, document.getElementById('app')!);
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js');
