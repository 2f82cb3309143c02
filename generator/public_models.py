"""Render dragoneye/models.py, the public types, from openapi.yaml's components.

generator/models.yaml names the components that are public and the class in
dragoneye/_behaviour.py each one inherits its methods from. Everything else
comes from the spec: fields, their types, which are optional, docstrings.

JSON types map to Python as: string -> str, integer -> int, number -> float,
boolean -> bool, array -> tuple (a fixed-length array component -> a tuple
alias), a string enum component -> StrEnum, `null` in a type or anyOf -> None
in a union, `$ref` -> the public class. A property outside `required` is
optional and defaults to None. Any other schema fails generation.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

HERE = Path(__file__).resolve().parent
MODELS_CONFIG = HERE / "models.yaml"
TEMPLATE = "public_models.py.jinja"
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_REF = "#/components/schemas/"


@dataclass
class Field:
    name: str
    type: str
    doc: str | None
    optional: bool
    converter: str | None


@dataclass
class Model:
    name: str
    kind: str  # "class", "enum" or "alias"
    doc: str | None
    base: str | None = None
    fields: list[Field] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)
    alias: str = ""
    depends: set[str] = field(default_factory=set)


class _Types:
    """Python type expressions for the schemas of one spec's public components."""

    def __init__(self, components: dict[str, Any], public: set[str]) -> None:
        self.components = components
        self.public = public
        self.converters: dict[str, str] = {}  # converter name -> element type

    def of(self, schema: dict[str, Any], where: str, depends: set[str]) -> str:
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(_REF)
            if name not in self.public:
                raise SystemExit(f"{where}: refers to {name}, which generator/models.yaml does not make public")
            depends.add(name)
            return name
        if "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            if len(options) != 1:
                raise SystemExit(f"{where}: only anyOf [schema, null] is supported")
            optional = len(options) < len(schema["anyOf"])
            inner = self.of(options[0], where, depends)
            return f"{inner} | None" if optional else inner
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if len(kinds) != 1:
                raise SystemExit(f"{where}: only [type, 'null'] is supported, not {kind}")
            inner = self.of({**schema, "type": kinds[0]}, where, depends)
            return f"{inner} | None" if len(kinds) < len(kind) else inner
        if kind in _SCALARS and "enum" not in schema:
            return _SCALARS[kind]
        if kind == "array":
            element = self.of(schema["items"], f"{where}[]", depends)
            return f"tuple[{element}, ...]"
        raise SystemExit(f"{where}: unsupported schema {schema}")

    def converter(self, type_: str) -> str | None:
        """The name of the converter that makes a sequence field a tuple."""
        match = re.fullmatch(r"tuple\[(\w+), \.\.\.\]( \| None)?", type_)
        if match is None:
            return None
        element = match.group(1)
        name = "_tuple_of_" + re.sub(r"(?<!^)(?=[A-Z])", "_", element).lower()
        self.converters[name] = element
        return name


def _model(name: str, base: str | None, types: _Types) -> Model:
    schema = types.components[name]
    doc = schema.get("description")
    if schema.get("type") == "string" and "enum" in schema:
        members = [(str(value).upper(), str(value)) for value in schema["enum"]]
        return Model(name=name, kind="enum", doc=doc, members=members)
    if schema.get("type") == "array":
        size = schema.get("minItems")
        if size is None or size != schema.get("maxItems"):
            raise SystemExit(f"{name}: an array component needs minItems == maxItems")
        element = types.of(schema["items"], name, set())
        return Model(name=name, kind="alias", doc=doc, alias=f"tuple[{', '.join([element] * size)}]")
    if schema.get("type") != "object" or base is None:
        raise SystemExit(f"{name}: a public object component needs its base class in generator/models.yaml")
    model = Model(name=name, kind="class", doc=doc, base=base)
    required = set(schema.get("required", []))
    for prop, sub in schema.get("properties", {}).items():
        type_ = types.of(sub, f"{name}.{prop}", model.depends)
        optional = prop not in required
        if optional and not type_.endswith("| None"):
            type_ += " | None"
        converter = types.converter(type_)
        if converter and type_.endswith("| None"):
            converter = f"attrs.converters.optional({converter})"
        model.fields.append(Field(prop, type_, sub.get("description"), optional, converter))
    return model


def _in_dependency_order(models: list[Model]) -> list[Model]:
    """Each model after those its fields name (the module has no lazy annotations)."""
    by_name = {model.name: model for model in models}
    ordered: list[Model] = []
    done: set[str] = set()

    def visit(model: Model) -> None:
        if model.name in done:
            return
        done.add(model.name)
        for name in sorted(model.depends):
            visit(by_name[name])
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def render(spec: dict[str, Any], templates: Path) -> str:
    """The source of dragoneye/models.py for `spec`."""
    public: dict[str, str | None] = yaml.safe_load(MODELS_CONFIG.read_text())
    components = spec["components"]["schemas"]
    missing = sorted(set(public) - set(components))
    if missing:
        raise SystemExit(f"generator/models.yaml names components the spec lacks: {missing}")
    types = _Types(components, set(public))
    models = _in_dependency_order([_model(name, base, types) for name, base in public.items()])
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["docstring"] = _docstring
    return env.get_template(TEMPLATE).render(
        models=models,
        names=sorted(public),
        bases=sorted({m.base for m in models if m.base}),
        converters=sorted(types.converters.items()),
    )


def _docstring(text: str | None, indent: int) -> str:
    """`text` as a triple-quoted docstring, wrapped, its later lines indented by `indent` spaces."""
    body = " ".join((text or "").split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = textwrap.wrap(body, width=100 - indent, break_long_words=False, break_on_hyphens=False)
    if len(lines) <= 1:
        return f'"""{body}"""'
    margin = "\n" + " " * indent
    return '"""' + margin.join(lines) + margin + '"""'
