"""Writes workers/engine/chat/published_templates.inc from the chat_template.jinja files beside
this script (see README.md). Run from the repository root with /usr/bin/python3."""
import pathlib

here = pathlib.Path(__file__).resolve().parent
names = {
    "qwen3": "kQwen3Text",
    "qwen3-thinking-2507": "kQwen3Thinking2507Text",
    "qwen3-instruct-2507": "kQwen3Instruct2507Text",
    "qwen3-coder": "kQwen3CoderText",
}
out = [
    "// Generated from tests/workers/engine/chat/data/*/chat_template.jinja (see the README.md there for",
    "// where each text comes from); published_templates_test checks that the two stay equal.",
    "// Qwen's templates are Apache-2.0, as the models they ship with.",
]
for folder, const in names.items():
    text = (here / folder / "chat_template.jinja").read_text(encoding="utf-8")
    assert ')TMPL"' not in text
    out.append(f'inline constexpr char {const}[] = R"TMPL({text})TMPL";')
target = here.parents[3] / "workers" / "engine" / "chat" / "published_templates.inc"
target.write_text("\n".join(out) + "\n", encoding="utf-8")
