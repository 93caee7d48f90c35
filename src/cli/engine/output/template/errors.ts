// Template errors, worded as Go's text/template words them (docker prints them after
// "template parsing error: ").

export class TemplateParseError extends Error {
  readonly code = 'TEMPLATE_PARSE';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateParseError';
  }
}

export class TemplateExecError extends Error {
  readonly code = 'TEMPLATE_EXEC';
  constructor(
    message: string,
    /** what the template wrote before it failed (docker keeps it for table headers) */
    readonly partial: string,
  ) {
    super(message);
    this.name = 'TemplateExecError';
  }
}
