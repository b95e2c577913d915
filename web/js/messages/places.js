// Words of a priority's place (its location and police beat) and of the
// neighborhood's map, in English and Spanish (merged into i18n.js; both languages have the same keys).
export const en = {
  'field.coordinates': 'Location (latitude, longitude)',
  'field.police_beat': 'Police district or beat',
  'place.hint': 'Stand where the problem is and use this tablet’s location, or type it as 41.7637, -72.6851.',
  'place.useDevice': 'Use this tablet’s location',
  'place.locating': 'Finding this tablet’s location…',
  'place.found': 'Location found, within about {m} m.',
  'place.denied': 'This tablet does not let PSC Sync use its location. Allow it in the browser’s site settings, or type the position.',
  'place.unavailable': 'No location fix here (no GPS signal?). Try again by a window or outside, or type the position.',
  'place.unsupported': 'This browser cannot give a location. Type the position instead.',
  'place.invalid': 'Type the position as latitude, longitude in degrees, for example 41.7637, -72.6851.',
  'map.summary': 'Map of the priorities with a location',
  'map.none': 'No priority here has a location yet. Add one on a priority’s form (“Use this tablet’s location”).',
  'map.label.one': 'Map of 1 priority with a location',
  'map.label.other': 'Map of {n} priorities with a location',
  'map.north': 'N',
  'map.note': 'Points only, no streets: drawn on this tablet, so it works without a connection. North is up; the bar gives the scale.',
};

export const es = {
  'field.coordinates': 'Ubicación (latitud, longitud)',
  'field.police_beat': 'Distrito o sector policial',
  'place.hint': 'Párese donde está el problema y use la ubicación de esta tableta, o escríbala como 41.7637, -72.6851.',
  'place.useDevice': 'Usar la ubicación de esta tableta',
  'place.locating': 'Buscando la ubicación de esta tableta…',
  'place.found': 'Ubicación encontrada, con un margen de unos {m} m.',
  'place.denied': 'Esta tableta no permite que PSC Sync use su ubicación. Permítalo en la configuración del sitio del navegador, o escriba la posición.',
  'place.unavailable': 'No hay señal de ubicación aquí (¿sin GPS?). Inténtelo junto a una ventana o afuera, o escriba la posición.',
  'place.unsupported': 'Este navegador no puede dar una ubicación. Escriba la posición.',
  'place.invalid': 'Escriba la posición como latitud, longitud en grados, por ejemplo 41.7637, -72.6851.',
  'map.summary': 'Mapa de las prioridades con ubicación',
  'map.none': 'Ninguna prioridad de aquí tiene ubicación todavía. Agréguela en el formulario de una prioridad (“Usar la ubicación de esta tableta”).',
  'map.label.one': 'Mapa de 1 prioridad con ubicación',
  'map.label.other': 'Mapa de {n} prioridades con ubicación',
  'map.north': 'N',
  'map.note': 'Solo puntos, sin calles: se dibuja en esta tableta, así que funciona sin conexión. El norte está arriba; la barra da la escala.',
};
