"""kubectl explain: kubectl 1.20's layout (KIND/VERSION/RESOURCE|FIELD/DESCRIPTION/FIELDS), the field
walk through references, arrays and maps, and its error messages."""
from __future__ import annotations

from engine.kubectl.explain import wrap

POD = """KIND:     Pod
VERSION:  v1

DESCRIPTION:
     Pod is a collection of containers that can run on a host. This resource is
     created by clients and scheduled onto hosts.

FIELDS:
   apiVersion\t<string>
     APIVersion defines the versioned schema of this representation of an
     object. Servers should convert recognized schemas to the latest internal
     value, and may reject unrecognized values. More info:
     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources

   kind\t<string>
     Kind is a string value representing the REST resource this object
     represents. Servers may infer this from the endpoint the client submits
     requests to. Cannot be updated. In CamelCase. More info:
     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds

   metadata\t<Object>
     Standard object's metadata. More info:
     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata

   spec\t<Object>
     Specification of the desired behavior of the pod. More info:
     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status

   status\t<Object>
     Most recently observed status of the pod. This data may not be up to date.
     Populated by the system. Read-only. More info:
     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
"""


def k(sb, line: str) -> str:
    out, rc = sb.kubectl(line)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def test_explain_pods_top_level(sb):
    assert k(sb, "explain pods") == POD
    assert k(sb, "explain po") == POD


def test_primitive_field_page(sb):
    assert k(sb, "explain deployment.spec.replicas") == (
        "KIND:     Deployment\nVERSION:  apps/v1\n\nFIELD:    replicas <integer>\n\nDESCRIPTION:\n"
        "     Number of desired pods. This is a pointer to distinguish between explicit\n"
        "     zero and not specified. Defaults to 1.")


def test_object_field_shows_field_then_type_description(sb):
    out = k(sb, "explain svc.spec")
    assert out.startswith("KIND:     Service\nVERSION:  v1\n\nRESOURCE: spec <Object>\n\nDESCRIPTION:\n"
                          "     Spec defines the behavior of a service.\n"
                          "     https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"
                          "#spec-and-status\n\n"
                          "     ServiceSpec describes the attributes that a user creates on a service.\n\nFIELDS:\n")
    assert "   type\t<string>\n     type determines how the Service is exposed." in out
    assert "   ports\t<[]Object>\n" in out and "   selector\t<map[string]string>\n" in out


def test_array_of_objects_and_required_fields(sb):
    out = k(sb, "explain pods.spec.containers")
    assert out.startswith("KIND:     Pod\nVERSION:  v1\n\nRESOURCE: containers <[]Object>\n\nDESCRIPTION:\n"
                          "     List of containers belonging to the pod.")
    assert "\n     A single application container that you want to run within a pod.\n\nFIELDS:\n" in out
    assert "   name\t<string> -required-\n" in out
    assert k(sb, "explain pv.spec.nfs").count("-required-") == 2


def test_int_or_string_and_maps(sb):
    out = k(sb, "explain svc.spec.ports.targetPort")
    assert out.startswith("KIND:     Service\nVERSION:  v1\n\nFIELD:    targetPort <string>\n\nDESCRIPTION:\n")
    assert out.endswith("\n\n     IntOrString is a type that can hold an int32 or a string. When used in JSON\n"
                        "     or YAML marshalling and unmarshalling, it produces or consumes the inner\n"
                        "     type. This allows you to have, for example, a JSON field that can accept a\n"
                        "     name or number.")
    assert "FIELD:    labels <map[string]string>" in k(sb, "explain deploy.metadata.labels")
    # a primitive ends the walk: what follows it is ignored, as kubectl does
    assert k(sb, "explain pods.spec.nodeName.anything").startswith("KIND:     Pod\nVERSION:  v1\n\n"
                                                                    "FIELD:    anything <string>")


def test_recursive(sb):
    assert k(sb, "explain deploy.spec.strategy --recursive") == (
        "KIND:     Deployment\nVERSION:  apps/v1\n\nRESOURCE: strategy <Object>\n\nDESCRIPTION:\n"
        "     The deployment strategy to use to replace existing pods with new ones.\n\n"
        "     DeploymentStrategy describes how to replace existing pods with new ones.\n\nFIELDS:\n"
        "   rollingUpdate\t<Object>\n      maxSurge\t<string>\n      maxUnavailable\t<string>\n   type\t<string>")


def test_the_kinds_the_course_uses_all_explain(sb):
    for res in ("pods", "svc", "deploy", "rs", "ds", "ns", "cm", "secret", "sa", "ep", "nodes", "pv", "pvc",
                "events", "clusterrole", "rolebinding", "psp", "sts", "jobs", "cronjobs"):
        out = k(sb, f"explain {res}")
        assert out.startswith("KIND:     ") and "\nFIELDS:\n" in out, res


def test_errors(sb):
    assert k(sb, "explain pods.spec.foo") == 'error: field "foo" does not exist\n[rc=1]'
    assert k(sb, "explain foo") == 'error: the server doesn\'t have a resource type "foo"\n[rc=1]'
    assert k(sb, "explain").startswith("error: You must specify the type of resource to explain.")
    assert k(sb, "explain pods svc") == ("error: We accept only this format: explain RESOURCE\n"
                                         "See 'kubectl explain -h' for help and examples\n[rc=1]")


def test_wrap_refills_words_to_the_width():
    assert wrap("a bb  ccc\ndddd", 6) == ["a bb", "ccc", "dddd"]
    assert wrap("averyveryverylongword x", 5) == ["averyveryverylongword", "x"]
    assert wrap("", 10) == []
