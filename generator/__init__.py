"""Policy knowledge base generator: YAML policy data -> MkDocs Markdown -> static sites.

One folder per stage, data flowing one way (a stage imports only itself and the stages before it;
tests/project/test_stages.py holds the few exceptions, each with its reason):
    load/ (files -> plain data with positions, the models, the project)  ->  checks/ (cross references, the
    safety rules, the guides' graph)  ->  render/ (jinja2 -> Markdown + mkdocs config, the guides' steps)
    ->  build/ (mkdocs build --strict, the gates, the atomic swap)  ->  publish/ (a server, the offline zip)
authoring/ holds the commands that help write data (init, new, import, diff, schema, serve); pipeline.py runs the
stages in order; only ``cli`` prints and sets exit codes. ARCHITECTURE.md says where a change goes.
"""
