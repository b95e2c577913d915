// What people call devices ("Frog Hollow tablet 2"), read wherever a device
// id would be shown (bylines, history, hand-offs, the devices screen).
//
// The names live on the server (server/device_name.hpp: not a synced record,
// so a rename changes every byline at once); the device fetches the list
// when a connection starts and keeps it as the `deviceNames` setting, so
// bylines keep their names offline. An id without a name shows as itself.
let names = new Map();

export function useDeviceNames(object) { names = new Map(Object.entries(object ?? {})); }

export function deviceLabel(id) { return names.get(id) || id; }

// The name of `id`, or '' when it has none.
export function deviceNameOf(id) { return names.get(id) ?? ''; }
