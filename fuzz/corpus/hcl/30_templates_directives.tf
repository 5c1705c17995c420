locals {
  inline_if   = "Hello, %{ if var.name != "" }${var.name}%{ else }unnamed%{ endif }!"
  inline_for  = "%{ for ip in var.ips }server ${ip}; %{ endfor }"
  strip_both  = "[ %{~ for x in var.list ~} ${x} %{~ endfor ~} ]"
  keyed_for   = "%{ for k, v in var.labels }${k}=${v},%{ endfor }"
  nested      = "%{ for s in var.services }%{ if s.enabled }${s.name} %{ endif }%{ endfor }"
  interp_only = "${var.whole_value}"
  interp_tilde = "${~ var.trimmed ~}"

  nginx_conf = <<-EOT
    upstream backend {
    %{ for addr in var.backends ~}
      server ${addr};
    %{ endfor ~}
    }
    server {
      listen ${var.port};
    %{ if var.tls ~}
      ssl_certificate /etc/ssl/cert.pem;
    %{ else ~}
      # plain http
    %{ endif ~}
    }
  EOT

  user_data = <<EOF
#!/bin/bash
echo ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config
%{ if var.enable_spot_draining ~}
echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config
%{ endif ~}
echo "HOME is $${HOME}"
EOF
}
