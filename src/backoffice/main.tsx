// The back office's entry: mounts the app into <div id="backoffice"> of backoffice/index.html.
import { render } from 'preact';
import { App } from './app';
import './backoffice.css';

const root = document.getElementById('backoffice');
if (!root) throw new Error('backoffice/index.html has no <div id="backoffice"> to mount into');
render(<App />, root);
