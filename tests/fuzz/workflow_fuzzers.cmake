# router/workflows: the workflow file parser (and the runner on what it accepts), the
# expression language of conditions, and templates.
switchyard_add_fuzzer(workflow_file_fuzz SOURCE workflow_file_fuzz.cc LIBS switchyard_workflows)
switchyard_add_fuzzer(workflow_condition_fuzz SOURCE workflow_condition_fuzz.cc LIBS switchyard_workflows)
switchyard_add_fuzzer(workflow_template_fuzz SOURCE workflow_template_fuzz.cc LIBS switchyard_workflows)
