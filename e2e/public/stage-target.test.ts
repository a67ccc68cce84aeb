// Reading the stage's outputs file (no AWS call: the stage target itself runs only under `npm run test:stage`).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { stageOutputs } from './stage-target.ts'

const chat = { WebSocketUrl: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod', PageUrl: 'https://d1.cloudfront.net/', UserPoolId: 'eu-west-1_AbC', UserPoolClientId: 'client', TableName: 't' }

test('the outputs of the one chat stack in the file, or of the stack named', () => {
  assert.deepEqual(stageOutputs({ 'dynamowave-chat-prod': chat, Other: { BucketName: 'b' } }), chat)
  assert.deepEqual(stageOutputs({ a: chat, b: { ...chat, WebSocketUrl: 'wss://b' } }, 'b').WebSocketUrl, 'wss://b')
})

test('a file without, or with several, chat stacks says what to do', () => {
  assert.throws(() => stageOutputs({}), /0 stacks.*cdk deploy --outputs-file outputs\.json/)
  assert.throws(() => stageOutputs({ a: chat, b: chat }), /2 stacks.*stage:<file>#<stack>/)
})
