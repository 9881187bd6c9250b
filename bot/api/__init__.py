"""The student's sandbox served as a Kubernetes v1.20.2 API over HTTPS, so real kubectl connects
to it (`kubetutor api`). A front-end like Discord: requests become router messages."""
