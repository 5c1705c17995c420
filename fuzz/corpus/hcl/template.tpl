Hello ${name}!
%{ if x ~}
  yes
%{ endif ~}
