#!/usr/bin/env node
// Strict xAPI statement validation with @learninglocker/xapi-validation.
// Reads a JSON array of statements on stdin, writes a JSON array of
// {index, path, message} on stdout (empty array: all valid).
'use strict';
const validate = require('@learninglocker/xapi-validation').default;

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const statements = JSON.parse(input);
  if (!Array.isArray(statements)) {
    throw new Error('expected a JSON array of statements');
  }
  const errors = [];
  statements.forEach((statement, index) => {
    for (const warning of validate(statement)) {
      const path = Array.isArray(warning.path) ? warning.path.join('.') : String(warning.path);
      // rulr warnings carry no text: name the warning class and its details.
      let message = (warning.constructor && warning.constructor.name) || 'Warning';
      if (warning.keys) message += ': unexpected keys ' + warning.keys.join(', ');
      if (warning.type && warning.type.name) message += ': expected ' + warning.type.name;
      if (warning.exception) message += ': ' + warning.exception.message;
      if (warning.value !== undefined) message += ': expected ' + JSON.stringify(warning.value);
      errors.push({ index, path, message, data: warning.data === undefined ? null : warning.data });
    }
  });
  process.stdout.write(JSON.stringify(errors));
});
