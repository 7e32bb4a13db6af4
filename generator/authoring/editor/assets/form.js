// A small form renderer driven by the models' JSON Schemas (schemas/*.schema.json, generated from the models),
// so a new field of a model appears here without editor code. Objects are fieldsets; lists have add, remove,
// move up, move down and duplicate; enums are selects; booleans and lists of an enum are tick boxes; a guide's
// `next` is a select of its steps and other guides' steps; contacts, citations and roles are offered from the
// registries. Every control has a label; a field's id is "f-" and its JSON path joined with "-".
"use strict";

window.SchemaForm = (function () {
  function resolve(root, schema) {
    while (schema && schema.$ref) schema = root.$defs[schema.$ref.split("/").pop()];
    return schema || {};
  }

  // One schema for a value: null taken out of "X or null", and of "X or Y" the one that fits the value as it is
  // (a list for a list, an object for an object, else text), so `who: you` stays text and `who: [a, b]` a list.
  function withoutNull(root, schema, value) {
    schema = resolve(root, schema);
    if (!schema.anyOf) return schema;
    const options = schema.anyOf.map((s) => resolve(root, s)).filter((s) => s.type !== "null");
    const bool = options.find((s) => s.type === "boolean");
    if (bool) return { type: "boolean", description: schema.description || bool.description };
    const isObject = (s) => s.type === "object" || s.properties || s.additionalProperties;
    const fits = Array.isArray(value) ? options.find((s) => s.type === "array")
      : value && typeof value === "object" ? options.find(isObject)
      : options.find((s) => s.type !== "array" && !isObject(s));
    return Object.assign({ description: schema.description }, fits || options[0]);
  }

  function idFor(path) {
    return "f-" + path.map((p) => String(p).replace(/[^A-Za-z0-9_]/g, "_")).join("-");
  }

  function words(key) {
    const text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  class Form {
    constructor(container, schema, data, context) {
      this.container = container;
      this.root = schema;
      this.data = data;
      this.context = context; // {registries, onChange}
    }

    render(focusId) {
      this.container.replaceChildren(this.object(this.root, this.data, [], null));
      const target = focusId && document.getElementById(focusId);
      if (target) target.focus();
    }

    changed() { if (this.context.onChange) this.context.onChange(); }

    // The value at a JSON path, and a setter for it.
    get(path) { return path.reduce((value, key) => (value == null ? undefined : value[key]), this.data); }
    set(path, value) {
      const parent = this.get(path.slice(0, -1));
      parent[path[path.length - 1]] = value;
      this.changed();
    }

    field(schema, value, path, key) {
      schema = withoutNull(this.root, schema, value);
      if (schema.oneOf) return this.variant(schema, value, path, key);
      if (schema.type === "object" || schema.properties || schema.additionalProperties) {
        if (value === undefined || value === null) return this.absentObject(schema, path, key);
        return schema.properties ? this.object(schema, value, path, key) : this.mapping(schema, value, path, key);
      }
      if (schema.type === "array") return this.list(schema, value, path, key);
      if (schema.type === "boolean") return this.tickBox(schema, value, path, key);
      if (schema.enum) return this.select(schema.enum, schema, value, path, key);
      return this.text(schema, value, path, key);
    }

    hint(schema, id) {
      // A list's items share the list's hint, shown once above them.
      return schema.description && !/-\d+$/.test(id) ? el("p", { class: "hint", id: id + "-hint", text: schema.description }) : null;
    }

    described(id, schema) {
      return [schema.description && !/-\d+$/.test(id) ? id + "-hint" : null, id + "-error"].filter(Boolean).join(" ");
    }

    error(id) { return el("p", { class: "error", id: id + "-error" }); }

    object(schema, value, path, key) {
      const id = idFor(path);
      const box = key === null ? el("div", { id }) : el("fieldset", { id, tabindex: "-1" }, [el("legend", { text: this.legend(key, value) })]);
      if (key !== null) { box.appendChild(this.hint(schema, id) || document.createTextNode("")); box.appendChild(this.error(id)); }
      for (const [name, property] of Object.entries(schema.properties || {})) {
        if (property.const !== undefined) continue; // a union's tag ('kind'): chosen when the item is added
        box.appendChild(this.field(property, value[name], path.concat([name]), name));
      }
      return box;
    }

    legend(key, value) {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const name = value.kind ? words(value.kind) : value.use !== undefined ? "Shared steps" : words(key);
        const label = value.id || value.use || value.term || value.name;
        return label !== undefined ? name + ": " + label : name;
      }
      return words(key);
    }

    absentObject(schema, path, key) {
      const id = idFor(path);
      const add = el("button", { type: "button", id, text: "Add " + words(key).toLowerCase() });
      add.addEventListener("click", () => { this.set(path, {}); this.render(id); });
      return el("div", {}, [add, this.error(id)]);
    }

    mapping(schema, value, path, key) {
      // An object keyed by id (school.yml's contacts): each entry a fieldset, and a new id to add one.
      const id = idFor(path);
      const box = el("fieldset", { id, tabindex: "-1" }, [el("legend", { text: words(key) }), this.hint(schema, id), this.error(id)]);
      for (const [name, entry] of Object.entries(value || {})) {
        box.appendChild(this.field(schema.additionalProperties, entry, path.concat([name]), name));
      }
      const newId = id + "-new";
      const input = el("input", { id: newId, autocomplete: "off" });
      const add = el("button", { type: "button", text: "Add" });
      add.addEventListener("click", () => {
        const name = input.value.trim();
        if (!name || (value && name in value)) return;
        if (!value) this.set(path, (value = {}));
        value[name] = {};
        this.changed();
        this.render(idFor(path.concat([name])));
      });
      box.appendChild(el("label", { for: newId, text: "New " + words(key).toLowerCase() + " id" }));
      box.appendChild(input);
      box.appendChild(add);
      return box;
    }

    variant(schema, value, path, key) {
      const options = schema.oneOf.map((s) => resolve(this.root, s));
      const chosen = options.find((s) => s.properties && s.properties.kind && value && value.kind === s.properties.kind.const)
        || options.find((s) => value && s.required && s.required.every((name) => name in value)) || options[0];
      return this.object(chosen, value || {}, path, key);
    }

    list(schema, value, path, key) {
      const id = idFor(path);
      const items = Array.isArray(value) ? value : [];
      const itemSchema = withoutNull(this.root, schema.items || {});
      const enumItems = itemSchema.enum;
      if (enumItems) return this.tickBoxes(enumItems, schema, items, path, key);
      const box = el("fieldset", { id, tabindex: "-1" }, [el("legend", { text: words(key) }), this.hint(schema, id), this.error(id)]);
      items.forEach((item, index) => {
        const itemPath = path.concat([index]);
        const wrapper = el("div", { class: "item" }, [this.field(schema.items, item, itemPath, this.itemName(key, index))]);
        wrapper.appendChild(this.itemTools(items, index, path, key));
        box.appendChild(wrapper);
      });
      for (const [label, make] of this.newItems(schema.items, key)) {
        const add = el("button", { type: "button", text: label });
        add.addEventListener("click", () => {
          if (!Array.isArray(value)) this.set(path, []);
          this.get(path).push(make());
          this.changed();
          this.render(idFor(path.concat([this.get(path).length - 1])));
        });
        box.appendChild(add);
      }
      return box;
    }

    itemName(key, index) { return words(key).replace(/s$/, "") + " " + (index + 1); }

    newItems(itemSchema, key) {
      const schema = withoutNull(this.root, itemSchema);
      if (schema.oneOf) {
        return schema.oneOf.map((s) => resolve(this.root, s)).map((s) => {
          const kind = s.properties && s.properties.kind && s.properties.kind.const;
          return ["Add " + (kind || (s.title || "item").toLowerCase()), () => (kind ? { kind } : {})];
        });
      }
      const isObject = schema.type === "object" || schema.properties;
      return [["Add " + words(key).replace(/s$/, "").toLowerCase(), () => (isObject ? {} : "")]];
    }

    itemTools(items, index, path, key) {
      const name = this.itemName(key, index);
      const tools = el("div", { class: "item-tools" });
      const act = (label, action, focusIndex) => {
        const button = el("button", { type: "button", text: label, "aria-label": label + ": " + name });
        button.addEventListener("click", () => {
          action();
          this.changed();
          this.render(focusIndex === null ? idFor(path) : idFor(path.concat([focusIndex])));
        });
        tools.appendChild(button);
      };
      if (index > 0) act("Move up", () => items.splice(index - 1, 0, items.splice(index, 1)[0]), index - 1);
      if (index < items.length - 1) act("Move down", () => items.splice(index + 1, 0, items.splice(index, 1)[0]), index + 1);
      act("Duplicate", () => items.splice(index + 1, 0, JSON.parse(JSON.stringify(items[index]))), index + 1);
      act("Remove", () => items.splice(index, 1), null);
      return tools;
    }

    tickBoxes(choices, schema, items, path, key) {
      const id = idFor(path);
      const box = el("fieldset", { id, tabindex: "-1", "aria-describedby": this.described(id, schema) },
        [el("legend", { text: words(key) }), this.hint(schema, id)]);
      choices.forEach((choice) => {
        const boxId = id + "-" + String(choice).replace(/[^A-Za-z0-9_]/g, "_");
        const input = el("input", { type: "checkbox", id: boxId, checked: items.includes(choice) });
        input.addEventListener("change", () => {
          let list = this.get(path);
          if (!Array.isArray(list)) { list = []; this.set(path, list); }
          if (input.checked && !list.includes(choice)) list.splice(choices.filter((c) => list.includes(c) || c === choice).indexOf(choice), 0, choice);
          if (!input.checked && list.includes(choice)) list.splice(list.indexOf(choice), 1);
          this.changed();
        });
        box.appendChild(el("div", {}, [input, el("label", { for: boxId, text: String(choice) })]));
      });
      box.appendChild(this.error(id));
      return box;
    }

    tickBox(schema, value, path, key) {
      const id = idFor(path);
      const truthy = value === true || (typeof value === "string" && /^(y|yes|true|on|t)$/i.test(value)) || value === 1;
      const input = el("input", { type: "checkbox", id, checked: truthy, "aria-describedby": this.described(id, schema) });
      input.addEventListener("change", () => this.set(path, input.checked));
      return el("div", { class: "field" }, [input, el("label", { for: id, text: words(key) }), this.hint(schema, id), this.error(id)]);
    }

    select(choices, schema, value, path, key, refresh) {
      const id = idFor(path);
      const select = el("select", { id, "aria-describedby": this.described(id, schema) });
      const fill = (list) => {
        const current = this.get(path);
        const all = list.slice();
        if (current !== undefined && current !== null && !all.includes(current)) all.unshift(current);
        select.replaceChildren(el("option", { value: "", text: "(none)" }));
        for (const choice of all) select.appendChild(el("option", { value: String(choice), text: String(choice), selected: choice === current }));
      };
      fill(choices);
      // A step added or renamed since the form was drawn is offered as soon as the list is reached.
      if (refresh) select.addEventListener("focus", () => fill(refresh()));
      select.addEventListener("change", () => this.set(path, select.value === "" ? null : select.value));
      return el("div", { class: "field" }, [el("label", { for: id, text: words(key) }), this.hint(schema, id), select, this.error(id)]);
    }

    stepChoices() {
      // This guide's steps first, then other guides' ('tree#step'), from the registries.
      const own = (this.data.nodes || []).filter((n) => n && n.id).map((n) => n.id);
      const others = (this.context.registries.steps || []).filter((s) => !s.startsWith((this.data.id || "") + "#"));
      return own.concat(others);
    }

    text(schema, value, path, key) {
      const id = idFor(path);
      const last = path[path.length - 1];
      if (last === "next" || last === "continue") return this.select(this.stepChoices(), schema, value, path, key, () => this.stepChoices());
      const registry = { contacts: "contacts", cites: "citations", who: "roles", related_trees: null }[path[path.length - 2]]
        || { who: "roles", contact: "contacts" }[last];
      const long = typeof value === "string" && (value.length > 60 || value.includes("\n"));
      const attrs = { id, "aria-describedby": this.described(id, schema) };
      if (registry) attrs.list = "list-" + registry;
      const input = long && !registry ? el("textarea", attrs) : el("input", Object.assign({ autocomplete: "off" }, attrs));
      input.value = value === undefined || value === null ? "" : String(value);
      input.addEventListener("input", () => {
        const original = this.get(path);
        let next = input.value;
        if (typeof original === "number" && next.trim() !== "" && !isNaN(Number(next))) next = Number(next);
        this.set(path, next === "" && original === undefined ? undefined : next === "" && typeof last === "string" && !this.required(path) ? null : next);
      });
      return el("div", { class: "field" }, [el("label", { for: id, text: typeof key === "number" ? words(key) : words(key) }), this.hint(schema, id), input, this.error(id)]);
    }

    required(path) {
      // Whether the field is required in its object's schema (an empty required field is sent as "", so check says so).
      let schema = this.root;
      for (const key of path.slice(0, -1)) {
        schema = withoutNull(this.root, schema);
        if (schema.oneOf) schema = resolve(this.root, schema.oneOf[0]);
        schema = typeof key === "number" ? schema.items : (schema.properties || {})[key] || schema.additionalProperties;
      }
      schema = withoutNull(this.root, schema);
      if (schema.oneOf) return true;
      return (schema.required || []).includes(path[path.length - 1]);
    }
  }

  return { Form, idFor, el };
})();
