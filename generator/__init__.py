"""Policy knowledge base generator: YAML policy data -> MkDocs Markdown -> static sites.

Stages, each its own module, data flowing one way:
    load (files -> plain data with positions)  ->  models (validation)  ->  validate (cross references)
    ->  render (jinja2 -> Markdown + mkdocs config)  ->  build (mkdocs build --strict, atomic swap)  ->  publish
Only ``cli`` prints and sets exit codes.
"""
