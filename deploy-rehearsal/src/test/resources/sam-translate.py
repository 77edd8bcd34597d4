# Translates a SAM template as `sam deploy` has CloudFormation do (AWS::Serverless-2016-10-31), with the function
# code already uploaded (CodeUri an s3:// location, as `sam package` leaves it); prints the processed template.
# Usage: python3 sam-translate.py template.yaml [Name=Value ...]   (needs AWS_DEFAULT_REGION)
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:
    def load(self):
        return {}

with open(sys.argv[1]) as f:
    template = yaml_parse(f.read())
for name, resource in template.get('Resources', {}).items():
    props = resource.get('Properties', {})
    if resource.get('Type') == 'AWS::Serverless::Function' and isinstance(props.get('CodeUri'), str) \
            and not props['CodeUri'].startswith('s3://'):
        props['CodeUri'] = 's3://rehearsal-artifacts/' + name + '.zip'
params = dict(arg.split('=', 1) for arg in sys.argv[2:])
print(json.dumps(transform(template, params, NoManagedPolicies()), indent=1, default=str))
