import { render } from 'preact';
import { App } from './app';
import { startNnkit } from './runtime';
import './style.css';

const root = document.getElementById('app');
if (root) {
  startNnkit().then(
    (info) => {
      root.replaceChildren();
      render(<App runtime={info} />, root);
    },
    (err: unknown) => {
      root.textContent = `nnkit did not start: ${String(err)}`;
      console.error(err);
    },
  );
}
