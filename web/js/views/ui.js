// Small building blocks shared by the meeting and kiosk screens.
import { enumLabel, fieldLabel, t } from '../i18n.js';
import { conflictPanel } from './conflict.js';
import { h } from './dom.js';

// Re-renders `container` with render() and gives focus back to the element
// that had it (matched by data-focus), so a live update never throws a
// keyboard user out of a list.
export function keepFocus(container, render) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focus : null;
  render();
  if (key) container.querySelector(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}

// A labelled form row. opts: {required, optional, hint, className}
export function row(id, label, input, opts = {}) {
  return h('div', { class: `form-row ${opts.className ?? ''}` },
    h('label', { for: id }, label,
      opts.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
      opts.optional ? h('span', { class: 'optional' }, ` (${t('field.optional')})`) : null),
    input,
    opts.after ?? null,  // e.g. a length counter (field-limit.js)
    opts.hint ? h('p', { class: 'muted field-hint' }, opts.hint) : null);
}

// A row of big radio buttons (touch-friendly), one per value.
// Returns {element, value()}; onChange(value) optional.
export function choiceGroup(name, legend, values, current, labelOf, onChange) {
  const inputs = values.map((v) => {
    const id = `${name}-${v}`;
    const input = h('input', { type: 'radio', name, id, value: v, checked: v === current });
    if (onChange) input.addEventListener('change', () => onChange(v));
    return h('span', { class: 'choice' }, input, h('label', { for: id }, labelOf(v)));
  });
  const element = h('fieldset', { class: 'choices' }, h('legend', {}, legend), h('div', { class: 'choice-row' }, inputs));
  return {
    element,
    value: () => element.querySelector('input:checked')?.value ?? '',
    set: (v) => { for (const input of element.querySelectorAll('input')) input.checked = input.value === v; },
  };
}

export function enumOptions(field, values, { blank = null } = {}) {
  return [blank !== null ? h('option', { value: '' }, blank) : null,
    ...values.map((v) => h('option', { value: v }, enumLabel(field, v)))];
}

// Conflict panels for every conflicted field of a record (or only `fields`),
// each value with "Keep this one". withField: the field can also be typed
// below the panel (a form), so the help says so.
export function recordConflicts(sync, record, onError, fields = null, { withField = false } = {}) {
  const names = Object.keys(record?.conflicts ?? {}).filter((f) => !fields || fields.includes(f));
  return names.map((field) => conflictPanel(field, record.conflicts[field], sync.core.fieldSpec(record.type, field),
    sync.deviceId, async (value) => {
      try {
        await sync.setFields(record.type, record.id, { [field]: value });
      } catch (error) {
        onError(t('error.notSaved', { message: error.message }));
      }
    }, withField ? t('conflict.help') : t('conflict.helpKeep')));
}

// A delete button that asks once more: the first tap turns it into
// "Tap again to delete" for a few seconds; the second one deletes.
export function confirmButton(label, attrs, onConfirm) {
  let timer = null;
  const button = h('button', { type: 'button', class: 'button button-quiet button-danger-text', ...attrs }, label);
  button.addEventListener('click', () => {
    if (button.classList.contains('is-confirming')) {
      clearTimeout(timer);
      onConfirm();
      return;
    }
    const named = attrs['aria-label'];
    button.classList.add('is-confirming');
    button.textContent = t('ui.confirmDelete');
    if (named) button.setAttribute('aria-label', `${t('ui.confirmDelete')}: ${named.slice(named.indexOf(': ') + 2)}`);
    timer = setTimeout(() => {
      button.classList.remove('is-confirming');
      button.textContent = label;
      if (named) button.setAttribute('aria-label', named);
    }, 4000);
  });
  return button;
}

// "Title", "Minutes"… for any field of any type.
export function labelFor(field) { return fieldLabel(field); }

// A number input's value as an integer, or null when empty; NaN when invalid.
export function intValue(input) {
  const text = input.value.trim();
  if (text === '') return null;
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

// Names as people read them, sorted ignoring case and accents.
export function byName(a, b) {
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base' });
}
