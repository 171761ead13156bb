// The baseline of the start-up benchmark: a blank Vite page that renders one element, the same
// message box the bench waits for in the app (bench/lib/startup.mjs).
const app = document.getElementById('app');
if (app) {
  const box = document.createElement('textarea');
  box.setAttribute('aria-label', 'Message');
  app.append(box);
}
