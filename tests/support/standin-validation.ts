// What Discord refuses with `400 {code: 50035, message: "Invalid Form Body", errors}`:
// message, embed, component, autocomplete and command-definition limits (Discord API v10).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface FieldError {
  code: string;
  message: string;
}

/** Collects errors in Discord's nested `errors` shape: `{embeds: {"0": {title: {_errors: [...]}}}}`. */
export class FormErrors {
  readonly tree: JsonObject = {};
  readonly flat: { path: string; code: string; message: string }[] = [];

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const segment of path) {
      const key = String(segment);
      const next = node[key];
      if (isObject(next)) {
        node = next;
      } else {
        const created: JsonObject = {};
        node[key] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    list.push({ code, message });
    node._errors = list;
    this.flat.push({ path: path.join('.'), code, message });
  }

  get isEmpty(): boolean {
    return this.flat.length === 0;
  }

  body(): JsonObject {
    return { code: 50035, message: 'Invalid Form Body', errors: this.tree };
  }
}

type Path = readonly (string | number)[];

function maxLength(errors: FormErrors, path: Path, value: unknown, max: number): void {
  if (typeof value === 'string' && [...value].length > max) {
    errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
}

function lengthBetween(errors: FormErrors, path: Path, value: unknown, min: number, max: number): void {
  const length = typeof value === 'string' ? [...value].length : 0;
  if (typeof value !== 'string' || length < min || length > max) {
    errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }
}

function stringLength(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

// ---------------------------------------------------------------------------------------------
// Messages

export const MESSAGE_FLAGS = {
  suppressEmbeds: 1 << 2,
  ephemeral: 1 << 6,
  loading: 1 << 7,
  suppressNotifications: 1 << 12,
  isComponentsV2: 1 << 15,
} as const;

const SENDABLE_FLAGS =
  MESSAGE_FLAGS.suppressEmbeds |
  MESSAGE_FLAGS.ephemeral |
  MESSAGE_FLAGS.suppressNotifications |
  MESSAGE_FLAGS.isComponentsV2;

function validateEmbeds(errors: FormErrors, path: Path, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (embeds.length > 10) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((embed, index) => {
    const at = [...path, index];
    if (!isObject(embed)) {
      errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    maxLength(errors, [...at, 'title'], embed.title, 256);
    maxLength(errors, [...at, 'description'], embed.description, 4096);
    total += stringLength(embed.title) + stringLength(embed.description);
    const footer = embed.footer;
    if (isObject(footer)) {
      maxLength(errors, [...at, 'footer', 'text'], footer.text, 2048);
      total += stringLength(footer.text);
    }
    const author = embed.author;
    if (isObject(author)) {
      maxLength(errors, [...at, 'author', 'name'], author.name, 256);
      total += stringLength(author.name);
    }
    const fields = embed.fields;
    if (Array.isArray(fields)) {
      if (fields.length > 25)
        errors.add([...at, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      fields.forEach((field, fieldIndex) => {
        const fieldPath = [...at, 'fields', fieldIndex];
        if (!isObject(field)) return;
        if (stringLength(field.name) === 0) {
          errors.add([...fieldPath, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
        if (stringLength(field.value) === 0) {
          errors.add([...fieldPath, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
        maxLength(errors, [...fieldPath, 'name'], field.name, 256);
        maxLength(errors, [...fieldPath, 'value'], field.value, 1024);
        total += stringLength(field.name) + stringLength(field.value);
      });
    }
  });
  if (total > 6000) {
    errors.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  }
}

const BUTTON = 2;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

interface ComponentCheck {
  customIds: Map<string, string>;
  count: number;
}

function validateInteractive(
  errors: FormErrors,
  path: Path,
  component: JsonObject,
  check: ComponentCheck,
): void {
  const type = component.type;
  if (type === BUTTON) {
    const style = component.style;
    if (style === 5) {
      if (typeof component.url !== 'string')
        errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
      maxLength(errors, [...path, 'url'], component.url, 512);
    } else if (style !== 6) {
      if (typeof component.custom_id !== 'string') {
        errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      }
    }
    maxLength(errors, [...path, 'label'], component.label, 80);
    if (component.label === undefined && component.emoji === undefined && style !== 6) {
      errors.add(path, 'BUTTON_COMPONENT_INVALID', 'A label or an emoji is required.');
    }
  }
  if (typeof type === 'number' && SELECT_TYPES.has(type)) {
    if (typeof component.custom_id !== 'string') {
      errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    maxLength(errors, [...path, 'placeholder'], component.placeholder, 150);
    for (const key of ['min_values', 'max_values'] as const) {
      const value = component[key];
      if (typeof value === 'number' && (value < 0 || value > 25)) {
        errors.add([...path, key], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 25.');
      }
    }
    if (type === 3) {
      const options = component.options;
      if (!Array.isArray(options) || options.length < 1 || options.length > 25) {
        errors.add([...path, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
      } else {
        options.forEach((option, index) => {
          if (!isObject(option)) return;
          lengthBetween(errors, [...path, 'options', index, 'label'], option.label, 1, 100);
          lengthBetween(errors, [...path, 'options', index, 'value'], option.value, 1, 100);
          maxLength(errors, [...path, 'options', index, 'description'], option.description, 100);
        });
      }
    }
  }
  const customId = component.custom_id;
  if (typeof customId === 'string') {
    lengthBetween(errors, [...path, 'custom_id'], customId, 1, 100);
    const key = path.join('.');
    if (check.customIds.has(customId)) {
      errors.add(
        [...path, 'custom_id'],
        'COMPONENT_CUSTOM_ID_DUPLICATED',
        'Component custom id cannot be duplicated',
      );
    } else {
      check.customIds.set(customId, key);
    }
  }
}

function walkV2(errors: FormErrors, path: Path, components: Json[], check: ComponentCheck): void {
  components.forEach((component, index) => {
    if (!isObject(component)) return;
    check.count += 1;
    const at = [...path, index];
    validateInteractive(errors, at, component, check);
    if (Array.isArray(component.components))
      walkV2(errors, [...at, 'components'], component.components, check);
    if (isObject(component.accessory)) {
      check.count += 1;
      validateInteractive(errors, [...at, 'accessory'], component.accessory, check);
    }
  });
}

function validateComponents(errors: FormErrors, path: Path, components: unknown, flags: number): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const check: ComponentCheck = { customIds: new Map(), count: 0 };
  if ((flags & MESSAGE_FLAGS.isComponentsV2) !== 0) {
    walkV2(errors, path, components, check);
    if (check.count > 40) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
    return;
  }
  if (components.length > 5) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  components.forEach((row, rowIndex) => {
    const rowPath = [...path, rowIndex];
    if (!isObject(row) || row.type !== 1) {
      errors.add(rowPath, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length < 1 || children.length > 5) {
      errors.add([...rowPath, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    const selects = children.filter((child) => isObject(child) && SELECT_TYPES.has(Number(child.type)));
    if (selects.length > 0 && children.length > 1) {
      errors.add(
        [...rowPath, 'components'],
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    }
    children.forEach((child, childIndex) => {
      if (isObject(child)) validateInteractive(errors, [...rowPath, 'components', childIndex], child, check);
    });
  });
}

function validateAllowedMentions(errors: FormErrors, path: Path, allowed: unknown): void {
  if (allowed === undefined || allowed === null) return;
  if (!isObject(allowed)) {
    errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
  for (const entry of parse) {
    if (entry !== 'users' && entry !== 'roles' && entry !== 'everyone') {
      errors.add(
        [...path, 'parse'],
        'BASE_TYPE_CHOICES',
        'Value must be one of {"everyone", "roles", "users"}.',
      );
    }
  }
  for (const key of ['users', 'roles'] as const) {
    const ids = allowed[key];
    if (Array.isArray(ids) && ids.length > 0 && parse.includes(key)) {
      errors.add(
        [...path, key],
        'ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${key}"] and ${key}: [ids...] are mutually exclusive.`,
      );
    }
    if (Array.isArray(ids) && ids.length > 100) {
      errors.add([...path, key], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    }
  }
}

/** Validates a message create/edit body. `path` is `[]` for webhooks/channels and `['data']` for callbacks. */
export function validateMessageBody(errors: FormErrors, path: Path, body: JsonObject): void {
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if (typeof body.content === 'string') maxLength(errors, [...path, 'content'], body.content, 2000);
  validateEmbeds(errors, [...path, 'embeds'], body.embeds);
  validateComponents(errors, [...path, 'components'], body.components, flags);
  validateAllowedMentions(errors, [...path, 'allowed_mentions'], body.allowed_mentions);
  if ((flags & ~SENDABLE_FLAGS) !== 0) {
    errors.add([...path, 'flags'], 'MESSAGE_FLAGS_INVALID', 'Invalid flags were provided.');
  }
  if ((flags & MESSAGE_FLAGS.isComponentsV2) !== 0) {
    if (stringLength(body.content) > 0) {
      errors.add(
        [...path, 'content'],
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'Cannot use content',
      );
    }
    if (Array.isArray(body.embeds) && body.embeds.length > 0) {
      errors.add(
        [...path, 'embeds'],
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'Cannot use embeds',
      );
    }
  }
}

/** Discord's 50006: a new message needs content, an embed, a component, a sticker or a file. */
export function isEmptyMessage(body: JsonObject): boolean {
  const has = (value: Json | undefined) =>
    (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0);
  return (
    !has(body.content) &&
    !has(body.embeds) &&
    !has(body.components) &&
    !has(body.sticker_ids) &&
    !has(body.attachments) &&
    body.poll === undefined
  );
}

export function validateAutocompleteResult(errors: FormErrors, data: unknown): void {
  if (!isObject(data) || !Array.isArray(data.choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (data.choices.length > 25) {
    errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  }
  data.choices.forEach((choice, index) => {
    const at = ['data', 'choices', index];
    if (!isObject(choice)) return;
    lengthBetween(errors, [...at, 'name'], choice.name, 1, 100);
    if (typeof choice.value === 'string') maxLength(errors, [...at, 'value'], choice.value, 100);
    else if (typeof choice.value !== 'number') {
      errors.add([...at, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Application commands (bulk overwrite)

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

function commandChars(value: Json | undefined): number {
  if (!isObject(value)) return 0;
  let total = stringLength(value.name) + stringLength(value.description);
  if (Array.isArray(value.choices)) {
    for (const choice of value.choices) {
      if (isObject(choice)) total += stringLength(choice.name) + String(choice.value ?? '').length;
    }
  }
  if (Array.isArray(value.options)) for (const option of value.options) total += commandChars(option);
  return total;
}

function validateName(errors: FormErrors, path: Path, name: unknown): void {
  if (typeof name !== 'string' || !COMMAND_NAME.test(name)) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  } else if (name !== name.toLowerCase()) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name must be lowercase');
  }
}

function validateOptions(errors: FormErrors, path: Path, options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let seenOptional = false;
  const names = new Set<string>();
  const kinds = new Set<'sub' | 'value'>();
  options.forEach((option, index) => {
    const at = [...path, index];
    if (!isObject(option)) return;
    validateName(errors, [...at, 'name'], option.name);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.add(
          [...at, 'name'],
          'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          'Option names must be unique',
        );
      }
      names.add(option.name);
    }
    lengthBetween(errors, [...at, 'description'], option.description, 1, 100);
    const type = option.type;
    const isSub = type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
    kinds.add(isSub ? 'sub' : 'value');
    if (isSub) {
      if (type === SUB_COMMAND_GROUP && depth > 0) {
        errors.add(
          [...at, 'type'],
          'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
          'Subcommand groups cannot nest',
        );
      }
      if (type === SUB_COMMAND && depth > 1) {
        errors.add(
          [...at, 'type'],
          'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
          'Subcommands cannot nest here',
        );
      }
      if (type === SUB_COMMAND_GROUP && Array.isArray(option.options)) {
        option.options.forEach((child, childIndex) => {
          if (isObject(child) && child.type !== SUB_COMMAND) {
            errors.add(
              [...at, 'options', childIndex, 'type'],
              'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
              'Subcommand groups may only contain subcommands',
            );
          }
        });
      }
      validateOptions(errors, [...at, 'options'], option.options, depth + 1);
      return;
    }
    if (option.required === true && seenOptional) {
      errors.add(
        [...at, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    if (option.required !== true) seenOptional = true;
    const choices = option.choices;
    if (Array.isArray(choices)) {
      if (option.autocomplete === true && choices.length > 0) {
        errors.add(
          [...at, 'autocomplete'],
          'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
          'Autocomplete cannot be set with choices',
        );
      }
      if (choices.length > 25) {
        errors.add([...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      }
      choices.forEach((choice, choiceIndex) => {
        if (!isObject(choice)) return;
        lengthBetween(errors, [...at, 'choices', choiceIndex, 'name'], choice.name, 1, 100);
        if (typeof choice.value === 'string') {
          maxLength(errors, [...at, 'choices', choiceIndex, 'value'], choice.value, 100);
        }
      });
    }
    for (const key of ['min_length', 'max_length'] as const) {
      const value = option[key];
      if (typeof value === 'number' && (value < 0 || value > 6000)) {
        errors.add([...at, key], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 6000.');
      }
    }
  });
  if (kinds.size > 1) {
    errors.add(
      path,
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Subcommands cannot be mixed with other options',
    );
  }
}

export function validateCommandList(errors: FormErrors, body: unknown): void {
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  const counts = new Map<number, number>();
  const names = new Set<string>();
  body.forEach((command, index) => {
    const at = [index];
    if (!isObject(command)) {
      errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = typeof command.type === 'number' ? command.type : 1;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (type === 1) {
      validateName(errors, [...at, 'name'], command.name);
      lengthBetween(errors, [...at, 'description'], command.description, 1, 100);
    } else {
      lengthBetween(errors, [...at, 'name'], command.name, 1, 32);
    }
    const key = `${type}:${String(command.name)}`;
    if (names.has(key)) {
      errors.add(
        [...at, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        `Application command names must be unique`,
      );
    }
    names.add(key);
    validateOptions(errors, [...at, 'options'], command.options, 0);
    if (commandChars(command) > 8000) {
      errors.add(at, 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (8000)');
    }
    const permissions = command.default_member_permissions;
    if (
      permissions !== undefined &&
      permissions !== null &&
      !(typeof permissions === 'string' && /^\d+$/.test(permissions))
    ) {
      errors.add(
        [...at, 'default_member_permissions'],
        'BASE_TYPE_BAD_INT',
        'Value is not a valid permission set',
      );
    }
  });
  const limits: Record<number, number> = { 1: 100, 2: 15, 3: 15 };
  for (const [type, count] of counts) {
    const limit = limits[type] ?? 0;
    if (count > limit) {
      errors.add([], 'APPLICATION_COMMANDS_TOO_MANY', `Maximum number of type ${type} commands is ${limit}`);
    }
  }
}
