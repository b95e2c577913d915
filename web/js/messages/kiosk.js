// Words of the resident kiosk, in English and Spanish (merged into i18n.js).
// Every resident-facing string lives here or in the shared enum/field labels;
// tests/browser/kiosk.test.mjs checks both languages have the same keys.
export const en = {
  'kiosk.language': 'Language',
  'kiosk.organizer': 'Organizer',
  'kiosk.unavailable': 'This kiosk is not ready. Please ask an organizer.',
  'kiosk.welcome': 'Welcome! Help {name} decide what to work on.',
  'kiosk.intro': 'Tell the Problem Solving Committee about a problem in the neighborhood, or vote for the problems that matter most to you. No name needed.',
  'kiosk.addConcern': 'Tell us about a problem',
  'kiosk.vote': 'Vote on priorities',
  'kiosk.cancel': 'Cancel',
  'kiosk.done': 'I’m done',
  'kiosk.notSaved': 'Sorry, that was not saved. Please try again or ask an organizer.',

  'kiosk.concern.heading': 'What problem should the committee work on?',
  'kiosk.concern.title': 'In a few words, what is the problem?',
  'kiosk.concern.category': 'What kind of problem is it?',
  'kiosk.concern.description': 'Tell us more',
  'kiosk.concern.address': 'Where is it? (address or place)',
  'kiosk.concern.send': 'Send',
  'kiosk.concern.titleRequired': 'Please say in a few words what the problem is.',
  'kiosk.concern.categoryRequired': 'Please choose what kind of problem it is.',
  'kiosk.concern.thanks': 'Thank you! Your concern was recorded.',
  'kiosk.concern.next': 'The committee will look at it. Would you like to vote on the current priorities too?',

  'kiosk.vote.heading': 'Vote on priorities',
  'kiosk.vote.help': 'You have {n} dots. Tap the problems that matter most to you — one dot each. Tap again to take a dot back.',
  'kiosk.vote.left': 'Dots left: {n}',
  'kiosk.vote.yourDot': 'Your dot',
  'kiosk.vote.none': 'There is nothing to vote on right now.',

  'kiosk.thanks.heading': 'Thank you for taking part!',
  'kiosk.thanks.next': 'Your answers are saved. The screen is ready for the next person.',
  'kiosk.thanks.start': 'Start',

  'kiosk.exit.heading': 'Organizer: enter the PIN to leave kiosk mode',
  'kiosk.exit.pin': 'PIN',
  'kiosk.exit.unlock': 'Leave kiosk mode',
  'kiosk.exit.back': 'Back',
  'kiosk.exit.wrong': 'That PIN is not right.',
  'kiosk.exit.locked': 'Too many wrong PINs. Try again in {s} seconds.',
};

export const es = {
  'kiosk.language': 'Idioma',
  'kiosk.organizer': 'Organizador',
  'kiosk.unavailable': 'Este quiosco no está listo. Pida ayuda a un organizador.',
  'kiosk.welcome': '¡Bienvenido! Ayude a {name} a decidir en qué trabajar.',
  'kiosk.intro': 'Cuéntele al Comité de Resolución de Problemas sobre un problema del vecindario, o vote por los problemas que más le importan. No hace falta dar su nombre.',
  'kiosk.addConcern': 'Contarnos un problema',
  'kiosk.vote': 'Votar por las prioridades',
  'kiosk.cancel': 'Cancelar',
  'kiosk.done': 'Terminé',
  'kiosk.notSaved': 'Lo sentimos, no se guardó. Inténtelo de nuevo o pida ayuda a un organizador.',

  'kiosk.concern.heading': '¿En qué problema debería trabajar el comité?',
  'kiosk.concern.title': 'En pocas palabras, ¿cuál es el problema?',
  'kiosk.concern.category': '¿Qué tipo de problema es?',
  'kiosk.concern.description': 'Cuéntenos más',
  'kiosk.concern.address': '¿Dónde está? (dirección o lugar)',
  'kiosk.concern.send': 'Enviar',
  'kiosk.concern.titleRequired': 'Por favor, diga en pocas palabras cuál es el problema.',
  'kiosk.concern.categoryRequired': 'Por favor, elija qué tipo de problema es.',
  'kiosk.concern.thanks': '¡Gracias! Su inquietud quedó registrada.',
  'kiosk.concern.next': 'El comité la revisará. ¿Quiere votar también por las prioridades actuales?',

  'kiosk.vote.heading': 'Votar por las prioridades',
  'kiosk.vote.help': 'Tiene {n} puntos. Toque los problemas que más le importan: un punto para cada uno. Toque otra vez para quitar un punto.',
  'kiosk.vote.left': 'Puntos que le quedan: {n}',
  'kiosk.vote.yourDot': 'Su punto',
  'kiosk.vote.none': 'No hay nada para votar en este momento.',

  'kiosk.thanks.heading': '¡Gracias por participar!',
  'kiosk.thanks.next': 'Sus respuestas están guardadas. La pantalla está lista para la siguiente persona.',
  'kiosk.thanks.start': 'Empezar',

  'kiosk.exit.heading': 'Organizador: escriba el PIN para salir del modo quiosco',
  'kiosk.exit.pin': 'PIN',
  'kiosk.exit.unlock': 'Salir del modo quiosco',
  'kiosk.exit.back': 'Volver',
  'kiosk.exit.wrong': 'Ese PIN no es correcto.',
  'kiosk.exit.locked': 'Demasiados PIN incorrectos. Inténtelo de nuevo en {s} segundos.',
};
