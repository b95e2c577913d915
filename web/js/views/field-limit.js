// A text field's length limit, shown instead of applied in silence. The
// browser keeps the text to the field's maxlength (the core's schema,
// fieldSpec(type, field).max_length); this adds the words: a counter under
// the field once the text is near the limit ("180 of 200 characters"), and,
// when a paste or typing was cut at the limit, that the rest was left out.
// Without it a 10,000-character paste became 200 characters and nobody said so.
import { t } from '../i18n.js';
import { h } from './dom.js';

const NEAR = 0.8;  // the counter shows from 80 % of the limit

// Sets input.maxLength to `max` and returns the counter element to put
// under the field (hidden while the text is short). Call .refresh() on it
// after setting input.value from code.
export function limitField(input, max) {
  const counter = h('p', { class: 'field-count', id: input.id ? `${input.id}-count` : null, 'data-testid': `count-${input.name || input.id}`, 'aria-live': 'polite', hidden: true });
  counter.refresh = () => {};
  if (!max) return counter;
  input.maxLength = max;
  let cut = false;      // the last insertion did not fit
  let inserting = false;
  const refresh = () => {
    const n = input.value.length;
    if (n < max) cut = false;
    counter.hidden = n < max * NEAR && !cut;
    counter.classList.toggle('is-full', n >= max);
    counter.textContent = cut ? `${t('limit.count', { n, max })}. ${t('limit.cut', { max })}` : t('limit.count', { n, max });
  };
  counter.refresh = refresh;
  // What would the field hold if all of `text` went in where the selection is?
  const wouldOverflow = (text) => {
    const selected = Math.abs((input.selectionEnd ?? 0) - (input.selectionStart ?? 0));
    return input.value.length - selected + text.length > max;
  };
  input.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text') ?? '';
    cut = wouldOverflow(text);
    inserting = true;
    setTimeout(() => { inserting = false; refresh(); });
  });
  input.addEventListener('beforeinput', (event) => {
    if (inserting || !event.inputType?.startsWith('insert')) return;
    const text = event.data ?? event.dataTransfer?.getData('text') ?? '';
    if (wouldOverflow(text)) {
      cut = true;
      setTimeout(refresh);  // no 'input' follows when nothing more fits
    }
  });
  input.addEventListener('input', refresh);
  return counter;
}
