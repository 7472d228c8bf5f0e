"""Run GTM custom templates in V8 with stand-ins of the sandboxed APIs.

The stand-ins enforce the template's declared permissions (an API used without its
permission, or a window key, URL or cookie the permission does not list, throws as in
GTM), and record what the template did: window calls, injected scripts, HTTP requests,
cookies, logs and gtmOnSuccess/gtmOnFailure.

    with WebPage() as page:
        run = run_web_tag(template_data, {"pixelId": "C1", ...}, page=page)
    run = run_server_tag(template_data, data, event_data={...}, response=HttpResponse())
"""

from gtmgen.sandbox.permissions import permission_problems, required_apis
from gtmgen.sandbox.records import (
    CookieSet,
    HttpFailure,
    HttpRequest,
    HttpResponse,
    QueuePush,
    ServerTagRun,
    TagRun,
    WebTagRun,
    WindowCall,
)
from gtmgen.sandbox.scenarios import ScenarioResult, run_scenarios
from gtmgen.sandbox.server import run_server_tag
from gtmgen.sandbox.template import Template, TemplateError, parse_template
from gtmgen.sandbox.web import WebPage, run_web_tag

__all__ = [
    "CookieSet",
    "HttpFailure",
    "HttpRequest",
    "HttpResponse",
    "QueuePush",
    "ScenarioResult",
    "ServerTagRun",
    "TagRun",
    "Template",
    "TemplateError",
    "WebPage",
    "WebTagRun",
    "WindowCall",
    "parse_template",
    "permission_problems",
    "required_apis",
    "run_scenarios",
    "run_server_tag",
    "run_web_tag",
]
