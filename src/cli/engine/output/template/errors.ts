// Template errors, worded as Go's text/template words them (docker prints them after
// "template parsing error: ").
import { VesselError } from '../../../../vessel-error.js';

export class TemplateParseError extends VesselError {
  readonly code = 'TEMPLATE_PARSE';
  constructor(message: string) {
    super(message, { status: 'invalidParameter' });
    this.name = 'TemplateParseError';
  }
}

export class TemplateExecError extends VesselError {
  readonly code = 'TEMPLATE_EXEC';
  constructor(
    message: string,
    /** what the template wrote before it failed (docker keeps it for table headers) */
    readonly partial: string,
  ) {
    super(message, { status: 'invalidParameter' });
    this.name = 'TemplateExecError';
  }
}
