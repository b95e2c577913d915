// The bar under the header: neighborhood picker, "Your name", language.
// update() refreshes only the picker, so typing a name is never interrupted.
import { languages, language, t } from '../i18n.js';
import { h } from './dom.js';

export class Toolbar {
  // handlers: {onNeighborhood(slug), onName(name), onLanguage(code)}
  constructor(container, sync, handlers) {
    this.container = container;
    this.sync = sync;
    this.handlers = handlers;
  }

  render() {
    this.select = h('select', {
      id: 'neighborhood-picker',
      onchange: () => this.handlers.onNeighborhood(this.select.value),
    });
    this.fillNeighborhoods();

    const nameSaved = h('span', { class: 'field-note', 'aria-live': 'polite' });
    const name = h('input', {
      id: 'display-name', type: 'text', maxlength: '100', autocomplete: 'name',
      placeholder: t('toolbar.namePlaceholder'), value: this.sync.name,
    });
    const saveName = async () => {
      const value = name.value.trim();
      if (value === this.sync.name) return;
      await this.handlers.onName(value);
      nameSaved.textContent = `✓ ${t('toolbar.nameSaved')}`;
    };
    name.addEventListener('change', saveName);
    name.addEventListener('keydown', (event) => { if (event.key === 'Enter') name.blur(); });
    name.addEventListener('input', () => { nameSaved.textContent = ''; });

    const lang = h('select', { id: 'language-picker', onchange: () => this.handlers.onLanguage(lang.value) },
      languages.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
    lang.value = language();

    this.container.replaceChildren(
      h('div', { class: 'toolbar-field toolbar-neighborhood' },
        h('label', { for: 'neighborhood-picker' }, t('toolbar.neighborhood')), this.select),
      h('div', { class: 'toolbar-field toolbar-name' },
        h('label', { for: 'display-name' }, t('toolbar.name')), name, nameSaved),
      h('div', { class: 'toolbar-field toolbar-language' },
        h('label', { for: 'language-picker' }, t('toolbar.language')), lang),
    );
  }

  // The neighborhoods the device knows, by name; the current one selected.
  fillNeighborhoods() {
    const neighborhoods = this.sync.list('neighborhood')
      .map((n) => ({ id: n.id, name: n.fields.name ?? n.id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const current = this.sync.prefs.neighborhood;
    const options = neighborhoods.length === 0
      ? [h('option', { value: '' }, t('toolbar.noneYet'))]
      : [h('option', { value: '', disabled: true }, t('toolbar.choose')),
        ...neighborhoods.map((n) => h('option', { value: n.id }, n.name))];
    this.select.replaceChildren(...options);
    this.select.disabled = neighborhoods.length === 0;
    this.select.value = neighborhoods.some((n) => n.id === current) ? current : '';
  }

  update() { if (this.select) this.fillNeighborhoods(); }
}
