// An input for one field of any record type, picked from the core's schema
// (enumeration -> select, long text -> textarea, integer -> number, date,
// datetime -> date + time, boolean -> yes/no). Used where a screen edits a
// field it knows only by its spec: the conflicts queue's "another value".
//
// fieldEditor(field, spec, initial, id) -> {element, read()} or null for a
// kind that cannot be typed (a reference: pick one of the values instead).
// read() -> {value} in the form the core stores, or {error} (words to show).
import { enumLabel, t } from '../i18n.js';
import { fromUtcDatetime, toUtcDatetime } from '../time.js';
import { h } from './dom.js';

const LONG_TEXT = 400;  // longer limits (description, minutes, notes) get a textarea

export function fieldEditor(field, spec, initial, id) {
  if (!spec || spec.kind === 'reference') return null;
  const empty = initial === null || initial === undefined;
  switch (spec.kind) {
    case 'enumeration': {
      // A department or category the city added since is offered too.
      const values = empty || spec.allowed.includes(String(initial)) ? spec.allowed : [...spec.allowed, String(initial)];
      const input = h('select', { id, value: empty ? '' : String(initial) },
        h('option', { value: '' }, spec.required ? t('field.choose') : t('conflict.empty')),
        values.map((v) => h('option', { value: v }, enumLabel(field, v))));
      return { element: input, read: () => optional(input.value, spec) };
    }
    case 'integer': {
      const input = h('input', { id, type: 'number', inputmode: 'numeric', step: '1', min: spec.min, max: spec.max, value: empty ? '' : String(initial) });
      return {
        element: input,
        read: () => {
          const text = input.value.trim();
          if (text === '') return optional('', spec);
          const n = Number(text);
          if (!Number.isInteger(n) || n < spec.min || n > spec.max) return { error: t('queue.badNumber', { min: spec.min, max: spec.max }) };
          return { value: n };
        },
      };
    }
    case 'boolean': {
      const input = h('select', { id, value: empty ? '' : String(Boolean(initial)) },
        spec.required ? null : h('option', { value: '' }, t('conflict.empty')),
        h('option', { value: 'true' }, t('value.yes')),
        h('option', { value: 'false' }, t('value.no')));
      return { element: input, read: () => (input.value === '' ? optional('', spec) : { value: input.value === 'true' }) };
    }
    case 'date': {
      const input = h('input', { id, type: 'date', value: empty ? '' : String(initial) });
      return { element: input, read: () => optional(input.value, spec) };
    }
    case 'datetime': {
      const local = fromUtcDatetime(empty ? '' : String(initial));
      const date = h('input', { id, type: 'date', value: local.date });
      const time = h('input', { type: 'time', value: local.time, 'aria-label': t('queue.time') });
      return {
        element: h('span', { class: 'datetime-editor' }, date, time),
        read: () => {
          if (!date.value && !time.value) return optional('', spec);
          const value = toUtcDatetime(date.value, time.value);
          return value ? { value } : { error: t('queue.badDatetime') };
        },
      };
    }
    default: {
      const text = empty ? '' : String(initial);
      const long = (spec.max_length ?? 0) > LONG_TEXT;
      const input = long
        ? h('textarea', { id, rows: '3', maxlength: spec.max_length || null, value: text })
        : h('input', { id, type: 'text', maxlength: spec.max_length || null, autocomplete: 'off', value: text });
      return { element: input, read: () => optional(input.value.trim(), spec) };
    }
  }
}

// An empty input: null for an optional field, an error for a required one.
function optional(value, spec) {
  if (value !== '') return { value };
  return spec.required ? { error: t('queue.required') } : { value: null };
}
