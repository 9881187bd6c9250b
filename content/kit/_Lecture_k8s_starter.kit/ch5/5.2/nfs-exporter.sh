#!/usr/bin/env bash
# Export /nfs_shared/<name> from m-k8s to the lab network (192.168.1.0/24) over NFS.
nfsdir=/nfs_shared/$1

if [ $# -eq 0 ]; then
  echo "usage: nfs-exporter.sh <name>"; exit 0
fi

[[ -d /nfs_shared ]] || mkdir /nfs_shared

if [[ ! -d $nfsdir ]]; then
  mkdir -p $nfsdir
  echo "$nfsdir 192.168.1.0/24(rw,sync,no_root_squash)" >> /etc/exports
  if [[ $(systemctl is-enabled nfs) == "disabled" ]]; then
    systemctl enable nfs
  fi
  systemctl restart nfs
fi
