// The baseline of the start-up benchmark: a blank Vite page that renders one element.
const app = document.getElementById('app');
if (app) app.textContent = 'Blank';
performance.mark('app:interactive');
