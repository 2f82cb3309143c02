"""The wire layer, generated from openapi.yaml by generator/generate.py: each operation's
`build_request_kwargs` and `parse_response`, and the models they use. Do not edit."""
