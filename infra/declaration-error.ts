// The declarations (src/api.ts, src/tables.ts) ask for something this stack cannot build. Thrown at
// synth time, so a broken declaration never reaches CloudFormation.
export class DeclarationError extends Error {
  readonly code = 'DECLARATION'
}
