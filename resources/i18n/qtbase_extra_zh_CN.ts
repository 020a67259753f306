<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that its zh_CN catalog (qtbase_zh_CN.qm, from the PySide6 wheel) leaves
     untranslated; installed after it for the Chinese UI (app/ui/i18n.py). -->
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Look in:</source>
      <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>文件类型(&amp;T)：</translation>
    </message>
  </context>
  <context>
    <name>QAbstractFileIconProvider</name>
    <message>
      <source>Drive</source>
      <translation>驱动器</translation>
    </message>
    <message>
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>%1 File</source>
      <translation>%1 文件</translation>
    </message>
    <message>
      <source>Shortcut</source>
      <translation>快捷方式</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>替身</translation>
    </message>
    <message>
      <source>Unknown</source>
      <translation>未知</translation>
    </message>
  </context>
  <context>
    <name>QFileSystemModel</name>
    <message>
      <source>Drive</source>
      <translation>驱动器</translation>
    </message>
  </context>
</TS>
