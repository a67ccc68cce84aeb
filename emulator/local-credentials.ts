// Offline, any credentials sign requests: nothing checks them. These are the emulator's defaults for
// the clients it builds and for the environment of the functions it runs (where Lambda would put
// the execution role's keys).
export const localRegion = 'us-east-1'
export const localAccountId = '000000000000'
export const localCredentials = { accessKeyId: 'LOCALACCESSKEY', secretAccessKey: 'local-secret-key' }
