"""The browser editor (issue 29): ``python -m generator edit [--project DIR]``.

A local web server on 127.0.0.1 with a random token, serving forms made from the JSON Schemas the models
generate (schemas/), writing YAML back with ruamel.yaml's round trip so that untouched lines stay as they were,
and running ``check`` on every change before anything is written. Modules: ``guard`` (who may ask: host, origin,
token), ``documents`` (which files, inside the project only), ``roundtrip`` (YAML in and out), ``checking``
(check on a copy, each diagnostic mapped to its form field), ``server`` (the HTTP routes), ``assets/`` (the page).
"""
