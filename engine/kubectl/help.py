"""`kubectl --help` and `kubectl VERB --help`, trimmed to what the sandbox supports."""
from __future__ import annotations

HELP = """kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/overview/

Basic Commands (Beginner):
  create        Create a resource from a file or from stdin.
  expose        Take a replication controller, service, deployment or pod and expose it as a new Kubernetes Service
  run           Run a particular image on the cluster
  set           Set specific features on objects

Basic Commands (Intermediate):
  explain       Documentation of resources
  get           Display one or many resources
  edit          Edit a resource on the server
  delete        Delete resources by filenames, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout       Manage the rollout of a resource
  scale         Set a new size for a Deployment, ReplicaSet or Replication Controller

Cluster Management Commands:
  cluster-info  Display cluster info
  top           Display Resource (CPU/Memory/Storage) usage.
  cordon        Mark node as unschedulable
  uncordon      Mark node as schedulable
  drain         Drain node in preparation for maintenance

Troubleshooting and Debugging Commands:
  describe      Show details of a specific resource or group of resources
  logs          Print the logs for a container in a pod
  exec          Execute a command in a container
  auth          Inspect authorization

Advanced Commands:
  apply         Apply a configuration to a resource by filename or stdin
  patch         Update field(s) of a resource
  replace       Replace a resource by filename or stdin
  wait          Experimental: Wait for a specific condition on one or many resources.

Settings Commands:
  label         Update the labels on a resource
  annotate      Update the annotations on a resource
  completion    Output shell completion code for the specified shell (bash or zsh)

Other Commands:
  api-resources Print the supported API resources on the server
  api-versions  Print the supported API versions on the server, in the form of "group/version"
  config        Modify kubeconfig files
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command."""

VERBS = {
    "get": ("Display one or many resources",
            ["kubectl get pods", "kubectl get pods -o wide", "kubectl get deployment,services",
             "kubectl get pods -n kube-system", "kubectl get pod nginx -o yaml", "kubectl get all"],
            ["-A, --all-namespaces=false: list the requested object(s) across all namespaces.",
             "-o, --output='': Output format. One of: json|yaml|wide|name|jsonpath=...|custom-columns=...",
             "-l, --selector='': Selector (label query) to filter on, e.g. -l app=nginx",
             "--show-labels=false: When printing, show all labels as the last column.",
             "--no-headers=false: When using the default output format, don't print headers."],
            "kubectl get [(-o|--output=)json|yaml|wide|name|...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]"),
    "run": ("Create and run a particular image in a pod.",
            ["kubectl run nginx --image=nginx", "kubectl run hazelcast --image=hazelcast/hazelcast --port=5701",
             "kubectl run nginx --image=nginx --dry-run=client -o yaml"],
            ["--image='': The image for the container to run.", "--port='': The port that this container exposes.",
             "-l, --labels='': Comma separated labels to apply to the pod(s).",
             "--restart='Always': The restart policy for this Pod.  Legal values [Always, OnFailure, Never].",
             "--expose=false: If true, service is created for the container(s) which are run"],
            "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]"),
    "create": ("Create a resource from a file or from stdin.",
               ["kubectl create deployment my-dep --image=nginx", "kubectl create namespace dev",
                "kubectl create -f ./pod.yaml"],
               ["-f, --filename=[]: Filename, directory, or URL to files to use to create the resource"],
               "kubectl create -f FILENAME [options]"),
    "scale": ("Set a new size for a Deployment, ReplicaSet, Replication Controller, or StatefulSet.",
              ["kubectl scale --replicas=3 deployment/chk-hn", "kubectl scale deployment chk-hn --replicas=3"],
              ["--replicas=0: The new desired number of replicas. Required."],
              "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]"),
    "expose": ("Expose a resource as a new Kubernetes service.",
               ["kubectl expose pod nginx --type=NodePort --port=80",
                "kubectl expose deployment chk-hn --type=LoadBalancer --port=80"],
               ["--port='': The port that the service should serve on.",
                "--target-port='': Name or number for the port on the container that the service should direct traffic to.",
                "--type='': Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
                "--name='': The name for the newly created object."],
               "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]"),
    "delete": ("Delete resources by filenames, stdin, resources and names, or by resources and label selector.",
               ["kubectl delete pod nginx", "kubectl delete service chk-hn", "kubectl delete pods --all",
                "kubectl delete -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml"],
               ["--all=false: Delete all resources, including uninitialized ones, in the namespace of the specified resource types.",
                "-l, --selector='': Selector (label query) to filter on.",
                "--force=false: If true, immediately remove resources from API and bypass graceful deletion.",
                "--grace-period=-1: Period of time in seconds given to the resource to terminate gracefully."],
               "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]"),
    "describe": ("Show details of a specific resource or group of resources",
                 ["kubectl describe nodes w1-k8s", "kubectl describe pods nginx", "kubectl describe deployment chk-hn"],
                 ["-A, --all-namespaces=false: If present, list the requested object(s) across all namespaces.",
                  "-l, --selector='': Selector (label query) to filter on."],
                 "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]"),
    "version": ("Print the client and server version information for the current context",
                ["kubectl version", "kubectl version --short"],
                ["--short=false: If true, print just the version number.",
                 "--client=false: If true, shows client version only (no server required)."],
                "kubectl version [flags] [options]"),
    "cluster-info": ("Display addresses of the master and services with label kubernetes.io/cluster-service=true",
                     ["kubectl cluster-info"], [], "kubectl cluster-info [flags] [options]"),
    "api-resources": ("Print the supported API resources on the server",
                      ["kubectl api-resources", "kubectl api-resources --namespaced=true"],
                      ["--namespaced=true: If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default."],
                      "kubectl api-resources [flags] [options]"),
}


def verb_help(verb: str) -> str:
    entry = VERBS.get(verb)
    if entry is None:
        return f"kubectl {verb}: see \"kubectl --help\" for the commands this sandbox supports."
    summary, examples, options, usage = entry
    lines = [summary, "", "Examples:"] + [f"  {e}" for e in examples]
    if options:
        lines += ["", "Options:"] + [f"  {o}" for o in options]
    lines += ["", "Usage:", f"  {usage}", "",
              'Use "kubectl options" for a list of global command-line options (applies to all commands).']
    return "\n".join(lines)
