from django.urls import path

from meldwijzer.datalab.views import dashboard, exports, imports, meldcode

app_name = "datalab"

urlpatterns = [
    path("", dashboard.overview_view, name="overview"),
    path("vragen/<slug:analysis>/", dashboard.analysis_view, name="analysis"),
    path("kaart/<slug:table>.svg", dashboard.map_view, name="map"),
    path("export/<slug:analysis>.<str:file_format>", exports.analysis_export_view, name="export"),
    path("rapport.pdf", exports.report_pdf_view, name="report_pdf"),
    path("leveringen/", imports.import_list_view, name="imports"),
    path("leveringen/nieuw/", imports.import_new_view, name="import_new"),
    path("leveringen/<int:import_id>/", imports.import_view, name="import"),
    path("schema/", imports.schema_view, name="schema"),
    path("meldcode/", meldcode.meldcode_view, name="meldcode"),
    path("meldcode.csv", meldcode.meldcode_csv_view, name="meldcode_csv"),
]
