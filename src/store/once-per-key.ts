/**
 * A value per key, made by the first caller that asks for it: the readers,
 * statement templates and loaders made once per column set (the key space
 * is the column sets and statement shapes the schema can ask for).
 */
export function oncePerKey<Value>(): (key: string, make: () => Value) => Value {
  const made = new Map<string, Value>();
  return (key, make) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make();
      made.set(key, value);
    }
    return value;
  };
}
