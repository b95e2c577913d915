// Words on screen, in English and Spanish, and how values are formatted.
//
// t('key', {name: 'x'}) looks the key up in the current language, falls back
// to English, and fills {placeholders}. Enumeration values from the schema get
// human labels through enumLabel(field, value). The meeting screens', the
// resident kiosk's, the hand-off and device screens', the city-wide
// screens' and a priority's place's words live in messages/ and are merged in here.
import { en as dashboardEn, es as dashboardEs } from './messages/dashboard.js';
import { en as devicesEn, es as devicesEs } from './messages/devices.js';
import { en as kioskEn, es as kioskEs } from './messages/kiosk.js';
import { en as leadersEn, es as leadersEs } from './messages/leaders.js';
import { en as listsEn, es as listsEs } from './messages/lists.js';
import { en as liaisonEn, es as liaisonEs } from './messages/liaison.js';
import { en as meetingEn, es as meetingEs } from './messages/meeting.js';
import { en as outcomesEn, es as outcomesEs } from './messages/outcomes.js';
import { en as placesEn, es as placesEs } from './messages/places.js';

const messages = {
  en: {
    'app.loading': 'Loading PSC Sync…',
    'app.bootFailed': 'PSC Sync could not start: {message}',
    'app.replaying': 'Opening {n} saved changes…',

    'status.online': 'Online',
    'status.offline': 'Offline',
    'status.connecting': 'Connecting…',
    'status.unreachable': 'Server unreachable',
    'status.signedOut': 'Not signed in',
    'status.retryIn': 'retrying in {s} s',
    'status.waiting.zero': 'All changes synced',
    'status.nothingWaiting': 'Nothing waiting to send',
    'status.waiting.one': '1 change waiting',
    'status.waiting.other': '{n} changes waiting',
    'status.lastSync': 'Last synced {time}',
    'status.neverSynced': 'Never synced',
    'status.catchUp': 'Catching up: {n} changes received',
    'status.catchUpPct': 'Catching up: {pct}% ({n} changes received)',

    'toolbar.neighborhood': 'Neighborhood',
    'toolbar.choose': 'Choose a neighborhood…',
    'toolbar.noneYet': 'None yet: connect once',
    'toolbar.language': 'Language',
    'toolbar.account': 'Signed in as',
    'toolbar.signOut': 'Sign out',
    'toolbar.yourAccount': 'Your account and this device',
    'toolbar.signedOut': 'Not signed in',
    'role.coordinator': 'coordinator',
    'role.organizer': 'organizer',
    'role.liaison': 'department liaison',
    'role.kiosk': 'kiosk',
    'role.viewer': 'viewer',
    'signin.title': 'Sign in',
    'signin.body': 'Sign in once with the account your coordinator gave you. This device then keeps working without a connection, and everything you record is sent under your name.',
    'signin.username': 'Username',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.deviceName': 'Name of this device (optional)',
    'signin.deviceNameExample': 'Frog Hollow tablet 2',
    'signin.deviceNameHint': 'Others see this name on what you record here, instead of a code.',
    'signin.offline': 'Signing in needs a connection. Connect this device once; after that it works offline.',
    'signin.kioskTitle': 'Set up a resident kiosk',
    'signin.kioskBody': 'An organizer can give you a one-time kiosk code for a neighborhood.',
    'signin.kioskCode': 'Kiosk code',
    'signin.kioskSubmit': 'Start kiosk',
    'signin.expired': 'Your sign-in has ended (signed out, revoked, or the account was disabled). Sign in again; nothing on this device is lost.',
    'signin.badCredentials': 'Wrong username or password.',
    'signin.tooMany': 'Too many failed attempts. Wait a minute, then try again.',
    'signin.badCode': 'That kiosk code does not work (mistyped, already used, or expired). Ask an organizer for a new one.',
    'signin.deviceTaken': 'The server still has another account signed in on this device, so it cannot be used with a second one yet. If that account signed out here without a connection, keep this device online for a moment and try again. If it keeps happening, ask your coordinator to sign this device out on the server (device {device}).',
    'password.firstTitle': 'Choose your own password',
    'password.firstIntro': 'The password for {account} was printed or sent to you, so it works only once: choose one only you know to sign in.',
    'password.firstSubmit': 'Save and sign in',
    'password.changeTitle': 'Change password',
    'password.changeIntro': 'Signed in as {account}. Your other devices stay signed in.',
    'password.changeSubmit': 'Change password',
    'password.changed': 'Password changed.',
    'password.current': 'Current password',
    'password.new': 'New password',
    'password.again': 'New password again',
    'password.hint': 'At least 10 characters. A few unrelated words are easy to remember and hard to guess.',
    'password.mismatch': 'The two new passwords are not the same.',
    'password.weak': 'The new password must have at least 10 characters.',
    'password.same': 'Choose a password different from the old one.',
    'password.wrongCurrent': 'The current password is wrong.',

    'home.noNeighborhoods.title': 'No neighborhoods on this device yet',
    'home.noNeighborhoods.body': 'This device has never connected to the PSC Sync server, so it does not have Hartford’s neighborhoods yet. Connect it to the network once, with this page open; after that, it works without a connection.',
    'home.noNeighborhoods.offline': 'This device is offline right now.',
    'start.title': 'Getting started',
    'start.accounts': 'Make an account for each neighborhood’s organizer, and for department liaisons and viewers.',
    'start.accountsLink': 'Accounts',
    'start.passwords': 'Give each person the one-time password shown when you make their account; at their first sign-in they choose their own.',
    'start.kiosk': 'For residents at a meeting: open the meeting and choose Kiosk mode, or give a second tablet a kiosk code from there.',
    'start.devices': 'After a meeting, check which tablets still hold changes the server does not have.',
    'start.devicesLink': 'Devices',
    'start.hide': 'Hide these steps',
    'home.choose.title': 'Choose a neighborhood',
    'home.choose.body': 'Pick the neighborhood whose Problem Solving Committee you are working with.',
    'home.unknownNeighborhood': 'This device does not know the neighborhood “{id}”.',

    'list.heading': '{name}: priorities',
    'list.add': 'Add a priority',
    'list.empty': 'No priorities recorded for {name} yet.',
    'list.emptyHint': 'Add the first one with the button above. It is saved on this device at once, even with no connection.',
    'list.emptyReadOnly': 'No priorities recorded for {name} on this device. Your account can read them but not add them; the committee’s organizers add them.',
    'list.notShared': 'Your account works with {own}, so {name}’s priorities are not sent to this device, and you cannot add any here. Its committee’s organizers record them.',
    'list.goOwn': 'Go to {own}',
    'list.count.one': '1 priority',
    'list.count.other': '{n} priorities',
    'list.more.one': '1 more priority below: shown as you scroll, while this device catches up.',
    'list.more.other': '{n} more priorities below: shown as you scroll, while this device catches up.',
    'list.edit': 'Edit',
    'list.conflictBadge': 'Conflict',
    'list.conflictIn': 'Different values were saved for {field}:',
    'list.resolve': 'Resolve',
    'list.noTitle': '(no title)',

    'field.title': 'Title',
    'field.description': 'Description',
    'field.category': 'Category',
    'field.status': 'Status',
    'field.address': 'Address or place',
    'field.neighborhood': 'Neighborhood',
    'field.meeting': 'Meeting',
    'field.rank': 'Rank',
    'field.optional': 'optional',
    'field.choose': 'Choose…',

    'form.newHeading': 'New priority for {name}',
    'form.editHeading': 'Edit priority',
    'form.save': 'Save',
    'form.back': 'Back to the list',
    'form.saved': 'Saved on this device.',
    'form.savedOffline': 'Saved on this device. It will sync when the connection is back.',
    'form.nothingChanged': 'Nothing to save: no field was changed.',
    'form.notFound': 'This priority is not on this device (it may have been deleted).',
    'history.link': 'History of this record',
    'history.title': 'History',
    'history.body': 'Every change the server has accepted for this record: what was set, by whom, from which device, and when it arrived.',
    'history.loading': 'Loading the history…',
    'history.offline': 'The history comes from the server; connect to see it.',
    'history.failed': 'Could not load the history: {message}',
    'history.when': 'Received',
    'history.field': 'Field',
    'history.value': 'Value',
    'history.who': 'By',
    'history.device': 'Device',
    'history.back': '← Back',
    'form.lastEdited': 'Last edited by {actor} on {device}, {time}',
    'form.changedElsewhere': 'Changed on another device while you were editing; now “{value}”. Saving keeps what you typed.',
    'form.delete': 'Delete this priority',
    'form.deleteConfirm': 'Delete it for everyone?',
    'form.deleteYes': 'Yes, delete',
    'form.deleteNo': 'Keep it',
    'form.deleted': 'Priority deleted.',
    'form.required': 'required',
    'form.titleRequired': 'A title is needed: write a few words that name the problem. Nothing was saved.',
    'form.fieldRequired': '{field} is needed. Nothing was saved.',
    'form.notSavedBelow': 'Nothing was saved: see the note under {field}.',
    'limit.count': '{n} of {max} characters',
    'limit.cut': 'Only {max} characters fit here: the rest of what you pasted or typed was left out. Shorten it, or put the details in the description.',

    'conflict.heading': '{field}: {n} different values were saved on different devices',
    'conflict.help': 'Keep one of them, or type a merged value in the field below and save.',
    'conflict.helpKeep': 'Keep the right one; it is saved for everyone.',
    'conflict.by': 'by {actor} on {device}, {time}',
    'conflict.shown': 'shown now',
    'conflict.keep': 'Keep this one',
    'conflict.resolved': 'Conflict resolved and saved on this device.',
    'conflict.empty': '(empty)',

    'who.thisDevice': 'this device',
    'who.noName': 'someone with no name set',

    'rejected.heading.one': 'The server refused 1 change',
    'rejected.heading.other': 'The server refused {n} changes',
    'rejected.help': 'They are not part of the shared record. Their values are listed here so you can enter them again if they are still needed.',
    'rejected.deleted': 'Deleted',
    'rejected.reason': 'Reason: {message} ({code})',
    'rejected.dismiss': 'Dismiss',

    'error.server': 'The server reported a problem: {message}',
    'error.notSaved': 'Not saved: {message}',
    'error.dismiss': 'Dismiss',

    'enum.category.public_safety': 'Public safety',
    'enum.category.quality_of_life': 'Quality of life',
    'enum.category.housing_blight': 'Housing and blight',
    'enum.category.traffic_streets': 'Traffic and streets',
    'enum.category.youth': 'Youth',
    'enum.category.environment_sanitation': 'Environment and sanitation',
    'enum.category.economic': 'Economic development',
    'enum.category.other': 'Other',
    'enum.status.proposed': 'Proposed',
    'enum.status.adopted': 'Adopted',
    'enum.status.in_progress': 'In progress',
    'enum.status.resolved': 'Resolved',
    'enum.status.dropped': 'Dropped',
  },
  es: {
    'app.loading': 'Cargando PSC Sync…',
    'app.bootFailed': 'PSC Sync no pudo iniciar: {message}',
    'app.replaying': 'Abriendo {n} cambios guardados…',

    'status.online': 'En línea',
    'status.offline': 'Sin conexión',
    'status.connecting': 'Conectando…',
    'status.unreachable': 'Servidor no disponible',
    'status.signedOut': 'Sin sesión',
    'status.retryIn': 'reintento en {s} s',
    'status.waiting.zero': 'Todos los cambios sincronizados',
    'status.nothingWaiting': 'Nada pendiente de envío',
    'status.waiting.one': '1 cambio pendiente',
    'status.waiting.other': '{n} cambios pendientes',
    'status.lastSync': 'Última sincronización {time}',
    'status.neverSynced': 'Nunca sincronizado',
    'status.catchUp': 'Actualizando: {n} cambios recibidos',
    'status.catchUpPct': 'Actualizando: {pct}% ({n} cambios recibidos)',

    'toolbar.neighborhood': 'Vecindario',
    'toolbar.choose': 'Elija un vecindario…',
    'toolbar.noneYet': 'Ninguno aún: conéctese una vez',
    'toolbar.language': 'Idioma',
    'toolbar.account': 'Sesión de',
    'toolbar.signOut': 'Cerrar sesión',
    'toolbar.yourAccount': 'Su cuenta y este dispositivo',
    'toolbar.signedOut': 'Sin sesión',
    'role.coordinator': 'coordinador(a)',
    'role.organizer': 'organizador(a)',
    'role.liaison': 'enlace del departamento',
    'role.kiosk': 'quiosco',
    'role.viewer': 'lector(a)',
    'signin.title': 'Iniciar sesión',
    'signin.body': 'Inicie sesión una vez con la cuenta que le dio su coordinador(a). Después, este dispositivo funciona sin conexión y todo lo que registre se envía a su nombre.',
    'signin.username': 'Usuario',
    'signin.password': 'Contraseña',
    'signin.submit': 'Iniciar sesión',
    'signin.deviceName': 'Nombre de este dispositivo (opcional)',
    'signin.deviceNameExample': 'Tableta 2 de Frog Hollow',
    'signin.deviceNameHint': 'Los demás ven este nombre en lo que registre aquí, en lugar de un código.',
    'signin.offline': 'Para iniciar sesión se necesita conexión. Conecte este dispositivo una vez; después funciona sin conexión.',
    'signin.kioskTitle': 'Preparar un quiosco para residentes',
    'signin.kioskBody': 'Un(a) organizador(a) puede darle un código de quiosco de un solo uso para un vecindario.',
    'signin.kioskCode': 'Código de quiosco',
    'signin.kioskSubmit': 'Iniciar quiosco',
    'signin.expired': 'Su sesión terminó (cerrada, revocada o la cuenta fue desactivada). Inicie sesión de nuevo; no se pierde nada de este dispositivo.',
    'signin.badCredentials': 'Usuario o contraseña incorrectos.',
    'signin.tooMany': 'Demasiados intentos fallidos. Espere un minuto y vuelva a intentarlo.',
    'signin.badCode': 'Ese código de quiosco no sirve (mal escrito, ya usado o vencido). Pida uno nuevo a un(a) organizador(a).',
    'signin.deviceTaken': 'El servidor todavía tiene otra cuenta con la sesión abierta en este dispositivo, así que aún no se puede usar con una segunda. Si esa cuenta cerró la sesión aquí sin conexión, mantenga este dispositivo conectado un momento y vuelva a intentarlo. Si sigue pasando, pida a su coordinador(a) que cierre en el servidor la sesión de este dispositivo (dispositivo {device}).',
    'password.firstTitle': 'Elija su propia contraseña',
    'password.firstIntro': 'La contraseña de {account} se imprimió o se le envió, así que sirve una sola vez: elija una que solo usted conozca para iniciar sesión.',
    'password.firstSubmit': 'Guardar e iniciar sesión',
    'password.changeTitle': 'Cambiar contraseña',
    'password.changeIntro': 'Sesión iniciada como {account}. Sus otros dispositivos siguen con la sesión iniciada.',
    'password.changeSubmit': 'Cambiar contraseña',
    'password.changed': 'Contraseña cambiada.',
    'password.current': 'Contraseña actual',
    'password.new': 'Contraseña nueva',
    'password.again': 'Repita la contraseña nueva',
    'password.hint': 'Al menos 10 caracteres. Unas cuantas palabras sin relación son fáciles de recordar y difíciles de adivinar.',
    'password.mismatch': 'Las dos contraseñas nuevas no son iguales.',
    'password.weak': 'La contraseña nueva debe tener al menos 10 caracteres.',
    'password.same': 'Elija una contraseña distinta de la anterior.',
    'password.wrongCurrent': 'La contraseña actual es incorrecta.',

    'home.noNeighborhoods.title': 'Todavía no hay vecindarios en este dispositivo',
    'home.noNeighborhoods.body': 'Este dispositivo nunca se ha conectado al servidor de PSC Sync, así que aún no tiene los vecindarios de Hartford. Conéctelo a la red una vez con esta página abierta; después funciona sin conexión.',
    'home.noNeighborhoods.offline': 'Este dispositivo está sin conexión ahora.',
    'start.title': 'Primeros pasos',
    'start.accounts': 'Cree una cuenta para el organizador de cada vecindario, y para los enlaces de los departamentos y los lectores.',
    'start.accountsLink': 'Cuentas',
    'start.passwords': 'Entregue a cada persona la contraseña de un solo uso que se muestra al crear su cuenta; en su primer inicio de sesión elige la suya.',
    'start.kiosk': 'Para los residentes en una reunión: abra la reunión y elija Modo quiosco, o desde allí dé a otra tableta un código de quiosco.',
    'start.devices': 'Después de una reunión, revise qué tabletas tienen todavía cambios que el servidor no tiene.',
    'start.devicesLink': 'Dispositivos',
    'start.hide': 'Ocultar estos pasos',
    'home.choose.title': 'Elija un vecindario',
    'home.choose.body': 'Elija el vecindario cuyo Comité de Resolución de Problemas está atendiendo.',
    'home.unknownNeighborhood': 'Este dispositivo no conoce el vecindario «{id}».',

    'list.heading': '{name}: prioridades',
    'list.add': 'Agregar una prioridad',
    'list.empty': 'Todavía no hay prioridades para {name}.',
    'list.emptyHint': 'Agregue la primera con el botón de arriba. Se guarda en este dispositivo al instante, aun sin conexión.',
    'list.emptyReadOnly': 'No hay prioridades de {name} en este dispositivo. Su cuenta puede leerlas pero no agregarlas; las agregan los organizadores del comité.',
    'list.notShared': 'Su cuenta trabaja con {own}, así que las prioridades de {name} no se envían a este dispositivo y aquí no puede agregar ninguna. Las registran los organizadores de su comité.',
    'list.goOwn': 'Ir a {own}',
    'list.count.one': '1 prioridad',
    'list.count.other': '{n} prioridades',
    'list.more.one': '1 prioridad más abajo: se muestra al desplazarse, mientras este dispositivo se pone al día.',
    'list.more.other': '{n} prioridades más abajo: se muestran al desplazarse, mientras este dispositivo se pone al día.',
    'list.edit': 'Editar',
    'list.conflictBadge': 'Conflicto',
    'list.conflictIn': 'Se guardaron valores distintos para {field}:',
    'list.resolve': 'Resolver',
    'list.noTitle': '(sin título)',

    'field.title': 'Título',
    'field.description': 'Descripción',
    'field.category': 'Categoría',
    'field.status': 'Estado',
    'field.address': 'Dirección o lugar',
    'field.neighborhood': 'Vecindario',
    'field.meeting': 'Reunión',
    'field.rank': 'Posición',
    'field.optional': 'opcional',
    'field.choose': 'Elija…',

    'form.newHeading': 'Nueva prioridad para {name}',
    'form.editHeading': 'Editar prioridad',
    'form.save': 'Guardar',
    'form.back': 'Volver a la lista',
    'form.saved': 'Guardado en este dispositivo.',
    'form.savedOffline': 'Guardado en este dispositivo. Se sincronizará cuando vuelva la conexión.',
    'form.nothingChanged': 'Nada que guardar: no cambió ningún campo.',
    'form.notFound': 'Esta prioridad no está en este dispositivo (quizás se eliminó).',
    'history.link': 'Historial de este registro',
    'history.title': 'Historial',
    'history.body': 'Cada cambio que el servidor aceptó para este registro: qué se puso, quién, desde qué dispositivo y cuándo llegó.',
    'history.loading': 'Cargando el historial…',
    'history.offline': 'El historial viene del servidor; conéctese para verlo.',
    'history.failed': 'No se pudo cargar el historial: {message}',
    'history.when': 'Recibido',
    'history.field': 'Campo',
    'history.value': 'Valor',
    'history.who': 'Por',
    'history.device': 'Dispositivo',
    'history.back': '← Volver',
    'form.lastEdited': 'Última edición por {actor} en {device}, {time}',
    'form.changedElsewhere': 'Se cambió en otro dispositivo mientras editaba; ahora «{value}». Al guardar se queda lo que usted escribió.',
    'form.delete': 'Eliminar esta prioridad',
    'form.deleteConfirm': '¿Eliminarla para todos?',
    'form.deleteYes': 'Sí, eliminar',
    'form.deleteNo': 'Conservarla',
    'form.deleted': 'Prioridad eliminada.',
    'form.required': 'obligatorio',
    'form.titleRequired': 'Hace falta un título: escriba unas palabras que nombren el problema. No se guardó nada.',
    'form.fieldRequired': 'Hace falta {field}. No se guardó nada.',
    'form.notSavedBelow': 'No se guardó nada: vea la nota bajo {field}.',
    'limit.count': '{n} de {max} caracteres',
    'limit.cut': 'Aquí caben solo {max} caracteres: el resto de lo que pegó o escribió quedó fuera. Acórtelo o ponga los detalles en la descripción.',

    'conflict.heading': '{field}: se guardaron {n} valores distintos en distintos dispositivos',
    'conflict.help': 'Conserve uno de ellos, o escriba un valor combinado en el campo de abajo y guarde.',
    'conflict.helpKeep': 'Conserve el correcto; se guarda para todos.',
    'conflict.by': 'por {actor} en {device}, {time}',
    'conflict.shown': 'el que se muestra',
    'conflict.keep': 'Conservar este',
    'conflict.resolved': 'Conflicto resuelto y guardado en este dispositivo.',
    'conflict.empty': '(vacío)',

    'who.thisDevice': 'este dispositivo',
    'who.noName': 'alguien sin nombre',

    'rejected.heading.one': 'El servidor rechazó 1 cambio',
    'rejected.heading.other': 'El servidor rechazó {n} cambios',
    'rejected.help': 'No forman parte del registro compartido. Sus valores se muestran aquí para que pueda ingresarlos de nuevo si todavía hacen falta.',
    'rejected.deleted': 'Eliminada',
    'rejected.reason': 'Motivo: {message} ({code})',
    'rejected.dismiss': 'Descartar',

    'error.server': 'El servidor informó un problema: {message}',
    'error.notSaved': 'No se guardó: {message}',
    'error.dismiss': 'Descartar',

    'enum.category.public_safety': 'Seguridad pública',
    'enum.category.quality_of_life': 'Calidad de vida',
    'enum.category.housing_blight': 'Vivienda y deterioro',
    'enum.category.traffic_streets': 'Tránsito y calles',
    'enum.category.youth': 'Juventud',
    'enum.category.environment_sanitation': 'Medio ambiente y limpieza',
    'enum.category.economic': 'Desarrollo económico',
    'enum.category.other': 'Otro',
    'enum.status.proposed': 'Propuesta',
    'enum.status.adopted': 'Adoptada',
    'enum.status.in_progress': 'En curso',
    'enum.status.resolved': 'Resuelta',
    'enum.status.dropped': 'Descartada',
  },
};

// The screens' own words: the meeting, the kiosk, devices, the dashboard,
// and (liaison.js) the conflicts queue, the department liaison's screens and
// read-only views. A key two modules define would give one module's words to
// both screens (the account sign-in once read "Registrar", the meeting's
// attendance button): such keys are recorded, and a test asserts none.
const definedTwice = [];
for (const [en, es] of [[meetingEn, meetingEs], [kioskEn, kioskEs], [devicesEn, devicesEs],
  [dashboardEn, dashboardEs], [liaisonEn, liaisonEs], [placesEn, placesEs],
  [outcomesEn, outcomesEs], [leadersEn, leadersEs], [listsEn, listsEs]]) {
  for (const [code, more] of [['en', en], ['es', es]]) {
    for (const [key, text] of Object.entries(more)) {
      if (key in messages[code]) definedTwice.push(`${code} ${key}`);
      messages[code][key] = text;
    }
  }
}
export function keysDefinedTwice() { return [...definedTwice]; }

// Every key, in every language (tests check English and Spanish match).
export function messageKeys(code) { return Object.keys(messages[code] ?? {}); }

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
];

let current = 'en';

export function setLanguage(code) {
  current = messages[code] ? code : 'en';
  document.documentElement.lang = current;
}

export function language() { return current; }

export function t(key, params = {}) {
  const text = messages[current][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

// Picks key.zero / key.one / key.other by count (zero falls back to other).
export function tCount(key, n, params = {}) {
  const form = n === 0 && (messages[current][`${key}.zero`] ?? messages.en[`${key}.zero`]) ? 'zero'
    : n === 1 ? 'one' : 'other';
  return t(`${key}.${form}`, { n: n.toLocaleString(current), ...params });
}

// A schema enumeration value as words ("in_progress" -> "In progress").
// The names of the departments and categories coordinators manage
// (reference-lists.js keeps them current from the records): slug ->
// {en, es}. They win over the built-in words.
const listedNames = { category: new Map(), department: new Map() };
export function setListedNames(field, names) { listedNames[field] = names; }

export function enumLabel(field, value) {
  const listed = listedNames[field]?.get(value);
  if (listed) return (current === 'es' && listed.es) || listed.en;
  const key = `enum.${field}.${value}`;
  if (messages[current][key] ?? messages.en[key]) return t(key);
  return String(value).replace(/_/g, ' ');
}

export function fieldLabel(field) {
  const key = `field.${field}`;
  return messages.en[key] ? t(key) : field;
}

// "2:14 PM" today, "Nov 28, 2:14 PM" otherwise.
export function formatTime(ms) {
  const date = new Date(ms);
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  const options = sameDay ? { hour: 'numeric', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  return date.toLocaleString(current === 'es' ? 'es-US' : 'en-US', options);
}
