// The chat API, declared once. infra/ derives routes, functions and grants from it; the emulator runs
// the same entries with the same environment names.
import type { ApiDeclaration } from './api-declaration.ts'

const table = { from: 'tableName', table: 'chat' } as const
const callbackUrl = { from: 'callbackUrl' } as const

export const api = {
  name: 'dynamowave-chat',
  routeSelectionExpression: '$request.body.action',
  routes: [
    { routeKey: '$connect', function: 'connect' },
    { routeKey: '$disconnect', function: 'disconnect' },
    { routeKey: '$default', function: 'default', twoWay: true },
    { routeKey: 'sendmessage', function: 'sendmessage', twoWay: true },
  ],
  // Browsers cannot set headers on a WebSocket: the Cognito token travels as `?token=` (design.md §6).
  authorizer: { function: 'authorize', identitySource: ['route.request.querystring.token'] },
  functions: {
    authorize: {
      entry: 'src/handlers/authorize.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TOKEN_ISSUER: { from: 'userPoolIssuer' }, TOKEN_CLIENT_ID: { from: 'userPoolClientId' } },
      hotPath: true,
    },
    connect: {
      entry: 'src/handlers/connect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table },
      tables: { chat: ['write'] },
      hotPath: true,
    },
    disconnect: {
      entry: 'src/handlers/disconnect.ts',
      memoryMb: 512,
      timeoutSeconds: 10,
      environment: { TABLE_NAME: table },
      tables: { chat: ['query', 'write'] },
    },
    default: {
      entry: 'src/handlers/default.ts',
      memoryMb: 256,
      timeoutSeconds: 5,
      environment: {},
    },
    sendmessage: {
      entry: 'src/handlers/sendmessage.ts',
      memoryMb: 1024,
      timeoutSeconds: 15,
      environment: { TABLE_NAME: table, CALLBACK_URL: callbackUrl },
      tables: { chat: ['read', 'query', 'write'] },
      manageConnections: ['POST'],
      hotPath: true,
    },
  },
  throttle: { rateLimit: 500, burstLimit: 1000 },
} as const satisfies ApiDeclaration
