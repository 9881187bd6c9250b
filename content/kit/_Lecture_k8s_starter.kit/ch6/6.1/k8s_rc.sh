#!/usr/bin/env bash
# kubectl shortcuts for the lab: writes ~/.k8s_rc and sources it from ~/.bashrc.
# remove again with: sed -i '/source/d' ~/.bashrc

if grep -q sysnet4admin ~/.bashrc; then
  echo "k8s_rc already installed"
  exit 0
fi

echo -e "\n#custome rc provide @sysnet4admin " >> ~/.bashrc
echo "source ~/.k8s_rc " >> ~/.bashrc

cat > ~/.k8s_rc <<'RC'
#! /usr/bin/env bash
alias k='kubectl'
alias kg='kubectl get'
alias kgp='kubectl get pods'
alias ka='kubectl apply -f'
alias kc='kubectl create'
alias ks='kubectl scale'
alias ke='kubectl export'
alias kgw='kubectl get $1 -o wide'

# pod number n of `kubectl get pods` (1-based)
_pod_no(){ kubectl get pods "${@:2}" | tail --lines=+2 | awk '{print $1}' | awk NR==$1; }

# kee <n>: bash into pod number n
kee(){
  if [ $# -eq 1 ]; then kubectl exec -it $(_pod_no $1) -- /bin/bash
  else echo "usage: kee <pod number>"; fi
}

# keq [namespace] [-c]: pick a pod (and a container) and run sh in it
keq(){
  local ns=${1:-default}
  kubectl get pods -n $ns | tail --lines=+2 | awk '{print NR " " $1}'
  echo -en "\nPlease select pod in $ns: "; read select
  local pod=$(_pod_no $select -n $ns)
  if [ "$2" == "-c" ]; then
    kubectl get pod -n $ns $pod -o jsonpath='{range .spec.containers[*]}{.name}{"\n"}{end}' | awk '{print NR " " $1}'
    echo -en "\nPlease select container in: "; read c
    local ctr=$(kubectl get pod -n $ns $pod -o jsonpath='{range .spec.containers[*]}{.name}{"\n"}{end}' | awk NR==$c)
    kubectl exec -it -n $ns $pod -c $ctr -- /bin/sh
  else
    kubectl exec -it -n $ns $pod -- /bin/sh
  fi
}

# kgpww [-A | -n namespace]: watch pods, wide
kgpww(){
  case $1 in
    "" ) kubectl get pods -w -o wide;;
    -A ) kubectl get pods --all-namespaces -w -o wide;;
    -n ) kubectl get pods -n $2 -w -o wide;;
     * ) echo -e "$1 is not avaialble. Only -A and -n support\n";;
  esac
}

# kgpws [-n namespace]: pods sorted by node
kgpws(){
  local cols="NAME:.metadata.name,STATUS:.status.phase,IP:.status.podIP,NODE:.spec.nodeName"
  if [ -z "$1" ]; then
    kubectl get pods --all-namespaces -o wide | head -n +1
    kubectl get pods --all-namespaces -o wide | tail -n +2 | sort -k 8
  else
    kubectl get pods -n $2 -o custom-columns=$cols | head -n +1
    kubectl get pods -n $2 -o custom-columns=$cols | tail -n +2 | sort -k 4
  fi
}

# kl [namespace]: logs of a pod picked from the list
kl(){
  local ns=${1:-default}
  kubectl get pods -n $ns | tail --lines=+2 | awk '{print NR " " $1}'
  echo -en "\nPlease select pod in $ns: "; read select
  kubectl logs -n $ns $(_pod_no $select -n $ns)
}

# kdp [namespace]: describe a pod picked from the list
kdp(){
  local ns=${1:-default}
  kubectl get pods -n $ns | tail --lines=+2 | awk '{print NR " " $1}'
  echo -en "\nPlease select pod in $ns: "; read select
  kubectl describe pods -n $ns $(_pod_no $select -n $ns)
}
RC

#Reload rc
su -

echo "k8s_rc install successfully"
