// A tiny DOM builder: h('button', {class: 'primary', onclick: fn}, 'Save').
// Event handlers are attached as listeners (no inline handlers: CSP-safe);
// strings become text nodes, never HTML.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  let initialValue;
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'value') initialValue = value;
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  if (initialValue !== undefined) element.value = initialValue;  // after a select's options exist
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

// Replaces an element's children, skipping null/false (replaceChildren
// would print them as "null").
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

// An SVG element (icons), built like h() but in the SVG namespace.
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  for (const child of children) element.append(child);
  return element;
}

// Runs fn once the next frame is on screen (a task after the next animation
// frame), or after `fallbackMs` if no frame comes (a hidden tab draws none).
// Returns a function that cancels it.
export function afterPaint(fn, fallbackMs = 100) {
  let done = false;
  const timers = [];
  const run = () => {
    if (done) return;
    done = true;
    timers.forEach(clearTimeout);
    fn();
  };
  const frame = requestAnimationFrame(() => timers.push(setTimeout(run, 0)));
  timers.push(setTimeout(run, fallbackMs));
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    timers.forEach(clearTimeout);
  };
}
