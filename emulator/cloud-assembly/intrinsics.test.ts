import { test } from 'node:test'
import assert from 'node:assert/strict'
import { evaluate, noValue, type IntrinsicScope } from './intrinsics.ts'

const scope: IntrinsicScope = {
  ref: (name) => ({ 'AWS::Region': 'us-east-1', Api: 'abc123', Table: 'chat-table' })[name] ?? `ref:${name}`,
  getAtt: (resource, attribute) => `${resource}.${attribute}`,
  mappings: { Regions: { 'us-east-1': { Suffix: 'amazonaws.com' } } },
  conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, IsOther: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
}
const run = (value: unknown) => evaluate(value, scope, 'X')

test('Ref, Fn::GetAtt (both forms), Fn::Join and nested lists evaluate as CloudFormation does', () => {
  assert.equal(run({ 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }]] }), 'https://abc123.execute-api.us-east-1')
  assert.equal(run({ 'Fn::GetAtt': ['Pool', 'ProviderName'] }), 'Pool.ProviderName')
  assert.equal(run({ 'Fn::GetAtt': 'Pool.Arn' }), 'Pool.Arn')
  assert.deepEqual(run({ a: [{ Ref: 'Table' }, 1], b: { c: true } }), { a: ['chat-table', 1], b: { c: true } })
})

test('Fn::Sub with pseudo parameters, attributes, variables and ${!literal}', () => {
  assert.equal(run({ 'Fn::Sub': 'arn:${AWS::Region}:${Pool.Arn}:${Table}:${!Keep}' }), 'arn:us-east-1:Pool.Arn:chat-table:${Keep}')
  assert.equal(run({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'Table' } }] }), 'chat-table-us-east-1')
})

test('Fn::Select over Fn::Split, Fn::FindInMap, Fn::If with conditions, Fn::Base64, AWS::NoValue', () => {
  assert.equal(run({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }), 'b')
  assert.equal(run({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Suffix'] }), 'amazonaws.com')
  assert.equal(run({ 'Fn::If': ['IsProd', 'yes', 'no'] }), 'yes')
  assert.equal(run({ 'Fn::If': ['IsOther', 'yes', 'no'] }), 'no')
  assert.equal(run({ 'Fn::Base64': 'hi' }), 'aGk=')
  assert.deepEqual(run({ keep: 1, drop: { Ref: 'AWS::NoValue' } }), { keep: 1 })
  assert.equal(run({ Ref: 'AWS::NoValue' }), noValue)
})

test('what cannot be worked out offline is refused with where it is and why', () => {
  const refused = (value: unknown, message: RegExp) =>
    assert.throws(() => evaluate(value, scope, 'Fn.Properties.Environment.Variables.X'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CLOUD_ASSEMBLY_UNRESOLVED')
      assert.match(error.message, /^Fn\.Properties\.Environment\.Variables\.X/)
      assert.match(error.message, message)
      return true
    })
  refused({ 'Fn::ImportValue': 'OtherStack:Export' }, /Fn::ImportValue is not supported offline \(it reads another stack’s export\)/)
  refused({ 'Fn::GetAZs': '' }, /Fn::GetAZs is not supported offline/)
  refused({ 'Fn::Select': [5, ['a']] }, /index 5 is outside a list of 1/)
  refused({ 'Fn::Join': ['', 'not a list'] }, /expected a list/)
  refused({ 'Fn::If': ['Missing', 'a', 'b'] }, /no condition Missing/)
  refused({ 'Fn::FindInMap': ['Regions', 'eu-west-1', 'Suffix'] }, /no Regions\.eu-west-1\.Suffix/)
})
