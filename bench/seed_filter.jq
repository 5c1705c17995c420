# The seed control (aws-ecs-1-privileged-network-mode) as a user would write it in jq over
# awscli JSON Lines: describe-task-definition --include TAGS objects and describe-tasks pages,
# in any order, in one pass. Prints the ARN of each in-use host-mode revision with a container
# that is privileged or whose user contains "root" (case-sensitive substring, as the seed's
# user_CONTAINS), one per line, in file order.
#
#   jq -n -r -f bench/seed_filter.jq bench/data/estate-100000.jsonl
#
# In use: a task with desiredStatus RUNNING and lastStatus PROVISIONING, PENDING, ACTIVATING
# or RUNNING references the revision's exact ARN (see DESIGN.md, section 3).
reduce inputs as $doc ({inuse: {}, hits: []};
  if $doc.taskDefinition then
    $doc.taskDefinition as $td
    | if $td.networkMode == "host"
         and any($td.containerDefinitions[];
                 .privileged == true or ((.user // "") | contains("root")))
      then .hits += [$td.taskDefinitionArn]
      else . end
  elif $doc.tasks then
    reduce ($doc.tasks[]
            | select(.desiredStatus == "RUNNING"
                     and (.lastStatus | IN("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING")))
            | .taskDefinitionArn) as $arn
      (.; .inuse[$arn] = true)
  else . end)
| .inuse as $inuse
| .hits[]
| select($inuse[.])
