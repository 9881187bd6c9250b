"""The lab's nodes as a student reaches them from `!sh` / `!ssh`: everything below the API server.

    fs.py        the virtual filesystem (kit files, /etc, written files), globbing, `ls -C` columns
    nfs.py       the NFS share m-k8s exports (ch5/5.2)
    traffic.py   HTTP in the lab: curl to pods, Services, NodePorts, MetalLB (kube-proxy's choice)
    dns.py       cluster DNS as CoreDNS answers it, and the lookup tools inside pods
    services.py  systemd units (kubelet, docker): state, journal, start/stop
    parser.py    the bash grammar (our own small parser; see its docstring for why not bashlex)
    expand.py    word expansions: braces, parameters, $(…), arithmetic, splitting, globs
    streams.py   bounded streams, the per-line budget, Limit
    shell.py     the interpreter: pipelines, lists, loops, redirections
    command.py   the one interface: Call -> Result
    commands/    one module per command, one table (commands/__init__.py)

kubectl reads from fs/nfs/traffic/dns (and parser's split_commands for `sh -c` in a pod) but
never imports the shell; the shell reaches kubectl only through Sandbox.kubectl_argv.
"""
